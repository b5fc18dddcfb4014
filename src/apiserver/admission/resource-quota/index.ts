/**
 * The ResourceQuota admission plugin and the pieces the resourcequota controller reuses: evaluators (usage per
 * object), `computeQuotaUsage` (a quota's usage from scratch) and the objects a quota counts.
 */
export { createResourceQuotaPlugin, type ResourceQuotaOptions } from './admission';
export { evaluatorFor, objectCountName, trackedResources, type QuotaEvaluator } from './evaluator';
export { computeQuotaUsage, measurableNames, quotaHard, quotaMatches, quotaUsed, type QuotaObject } from './usage';
export { quotaScopeSelectors, type ScopeRequirement } from './scopes';
