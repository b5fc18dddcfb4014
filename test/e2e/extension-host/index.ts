/**
 * The mocha runner inside the real extension host (extensionTestsPath; bundled by test/e2e/setup/build.ts with mocha,
 * `vscode` external). `run()` registers the suites, runs them with the spec reporter (no colours: output goes through
 * the workbench's log) and rejects when a test failed, which makes the workbench report a non-zero exit.
 *
 * Environment (set on code-server by the harness): KUBELAB_E2E_KUBECONFIG (where the extension writes its
 * kubeconfig), KUBELAB_E2E_WORKSPACE (the workspace folder), KUBELAB_E2E_GREP (only tests whose title matches).
 */
import Mocha from 'mocha';
import { registerBenchSuite } from './bench.suite';
import { registerKubelabSuite } from './kubelab.suite';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  const grep = process.env.KUBELAB_E2E_GREP;
  if (grep) mocha.grep(grep);
  // What mocha.loadFiles() does per file: expose describe/it/before… to the suite code, then let it register.
  mocha.suite.emit('pre-require', globalThis, 'kubelab-e2e', mocha);
  registerKubelabSuite();
  registerBenchSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension host test(s) failed`)) : resolve()));
  });
}
