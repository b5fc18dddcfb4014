/** The Job controller's factory (upstream name `job`, --concurrent-job-syncs default 5). */
import type { ControllerFactory } from '../manager';
import { JobController } from './job-controller';

export const jobControllerFactory: ControllerFactory = {
  name: 'job',
  workers: 5,
  build: (ctx) => new JobController(ctx),
};

export { JobController } from './job-controller';
export { JOB_TRACKING_FINALIZER, COMPLETION_INDEX_KEY } from './job-util';
