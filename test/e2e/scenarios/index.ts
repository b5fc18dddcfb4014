/** The UI scenarios in the order they run (later ones rely on earlier ones: see scenario.ts). */
import { applyManifest } from './apply-manifest';
import { eventsPanel } from './events-panel';
import { invalidManifest } from './invalid-manifest';
import { registryExpandBench } from './registry-expand-bench';
import { registryTree } from './registry-tree';
import type { Scenario } from './scenario';
import { stopKubelet } from './stop-kubelet';
import { secondWindow } from './second-window';

export const SCENARIOS: Scenario[] = [registryTree, applyManifest, invalidManifest, eventsPanel, stopKubelet, secondWindow, registryExpandBench];
