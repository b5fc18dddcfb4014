/** The StatefulSet controller: its factory for the controller manager, and the pieces tests use. */
export { statefulSetControllerFactory, StatefulSetController, STATEFULSET_CONTROLLER, type StatefulSetControllerOptions } from './statefulset-controller';
