import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export interface CliOptions {
  dataDir: string;
  port: number;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [--data-dir DIR] [--port N]

  --data-dir DIR   where the cluster keeps its state (default ~/.kubelab)
  --port N         HTTPS port of the API server on 127.0.0.1 (default 6443; 0 picks a free port)
  -h, --help       this text`;

/** Parse and validate the command line; throws an Error with a clear message on bad input. */
export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n\n${USAGE}`);
  }
  const portText = values.port ?? '6443';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(portText)}`);
  }
  const dir = values['data-dir'] ?? path.join(os.homedir(), '.kubelab');
  if (!dir.trim()) throw new Error('--data-dir must not be empty');
  return { dataDir: path.resolve(dir.replace(/^~(?=$|\/)/, os.homedir())), port: Number(portText), help: !!values.help };
}
