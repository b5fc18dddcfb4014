/** The CronJob controller's factory (upstream name `cronjob`, --concurrent-cron-job-syncs default 5). */
import type { ControllerFactory } from '../manager';
import { CronJobController } from './cronjob-controller';

export const cronJobControllerFactory: ControllerFactory = {
  name: 'cronjob',
  workers: 5,
  build: (ctx) => new CronJobController(ctx),
};

export { CronJobController } from './cronjob-controller';
export { parseSchedule, CronParseError, type CronSchedule } from './cron-schedule';
