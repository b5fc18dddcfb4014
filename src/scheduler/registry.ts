/**
 * The in-tree plugin registry (upstream plugins/registry.go): every plugin of src/scheduler/plugins by its upstream
 * name, plus our NodeCost (off unless a profile enables it). A profile builds only the plugins it enables.
 */
import type { PluginFactory } from './framework';
import { NAME as DefaultBinder, newDefaultBinder } from './plugins/default-binder';
import { NAME as DefaultPreemption, newDefaultPreemption } from './plugins/default-preemption';
import { NAME as ImageLocality, newImageLocality } from './plugins/image-locality';
import { NAME as InterPodAffinity, newInterPodAffinity } from './plugins/inter-pod-affinity';
import { NAME as NodeAffinity, newNodeAffinity } from './plugins/node-affinity';
import { NAME as NodeCost, newNodeCost } from './plugins/node-cost';
import { NAME as NodeName, newNodeName } from './plugins/node-name';
import { NAME as NodePorts, newNodePorts } from './plugins/node-ports';
import { NAME as NodeResourcesBalancedAllocation, newNodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation';
import { NAME as NodeResourcesFit, newNodeResourcesFit } from './plugins/node-resources-fit';
import { NAME as NodeUnschedulable, newNodeUnschedulable } from './plugins/node-unschedulable';
import { NAME as NodeVolumeLimits, newNodeVolumeLimits } from './plugins/node-volume-limits';
import { NAME as PodTopologySpread, newPodTopologySpread } from './plugins/pod-topology-spread';
import { NAME as PrioritySort, newPrioritySort } from './plugins/priority-sort';
import { NAME as SchedulingGates, newSchedulingGates } from './plugins/scheduling-gates';
import { NAME as TaintToleration, newTaintToleration } from './plugins/taint-toleration';
import { NAME as VolumeBinding, newVolumeBinding } from './plugins/volume-binding';
import { NAME as VolumeRestrictions, newVolumeRestrictions } from './plugins/volume-restrictions';
import { NAME as VolumeZone, newVolumeZone } from './plugins/volume-zone';

export function inTreeRegistry(): Map<string, PluginFactory> {
  return new Map<string, PluginFactory>([
    [DefaultBinder, newDefaultBinder],
    [DefaultPreemption, newDefaultPreemption],
    [ImageLocality, newImageLocality],
    [InterPodAffinity, newInterPodAffinity],
    [NodeAffinity, newNodeAffinity],
    [NodeCost, newNodeCost],
    [NodeName, newNodeName],
    [NodePorts, newNodePorts],
    [NodeResourcesBalancedAllocation, newNodeResourcesBalancedAllocation],
    [NodeResourcesFit, newNodeResourcesFit],
    [NodeUnschedulable, newNodeUnschedulable],
    [NodeVolumeLimits, newNodeVolumeLimits],
    [PodTopologySpread, newPodTopologySpread],
    [PrioritySort, newPrioritySort],
    [SchedulingGates, newSchedulingGates],
    [TaintToleration, newTaintToleration],
    [VolumeBinding, newVolumeBinding],
    [VolumeRestrictions, newVolumeRestrictions],
    [VolumeZone, newVolumeZone],
  ]);
}
