import { errors } from './errors';
import { inInterval, toInterval } from './keys';
import { MAX_REQUEST_BYTES, MAX_TXN_OPS, type KeySelector, type TxnOp, type TxnRequest } from './store';

/** Refuse what etcd refuses before a transaction runs: sizes, empty keys, duplicate writes, too many ops. */
export function validateTxn(req: TxnRequest): void {
  if (!req || !Array.isArray(req.compare) || !Array.isArray(req.success) || !Array.isArray(req.failure)) {
    throw errors.invalid('txn request needs compare, success and failure lists');
  }
  if (req.compare.length > MAX_TXN_OPS || req.success.length > MAX_TXN_OPS || req.failure.length > MAX_TXN_OPS) {
    throw errors.tooManyOps();
  }
  let bytes = 0;
  for (const c of req.compare) {
    checkKey(c.key);
    bytes += c.key.length + (typeof c.value === 'string' ? Buffer.byteLength(c.value) : 8);
  }
  for (const branch of [req.success, req.failure]) {
    for (const op of branch) bytes += checkOp(op);
    checkDuplicates(branch);
  }
  if (bytes > MAX_REQUEST_BYTES) throw errors.tooLarge(bytes);
}

export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw errors.emptyKey();
}

export function checkSelector(sel: KeySelector): void {
  if (!sel || typeof sel.key !== 'string') throw errors.emptyKey();
  if (sel.key.length === 0 && !sel.prefix && sel.end !== '\0') throw errors.emptyKey();
}

function checkOp(op: TxnOp): number {
  switch (op.type) {
    case 'put': {
      checkKey(op.key);
      if (typeof op.value !== 'string') throw errors.invalid('put value must be a string');
      const bytes = Buffer.byteLength(op.key) + Buffer.byteLength(op.value);
      if (bytes > MAX_REQUEST_BYTES) throw errors.tooLarge(bytes);
      return bytes;
    }
    case 'delete':
      checkSelector(op.sel);
      return op.sel.key.length;
    case 'range':
      checkSelector(op.sel);
      return op.sel.key.length;
    default:
      throw errors.invalid(`unknown txn operation ${(op as { type: string }).type}`);
  }
}

function checkDuplicates(ops: TxnOp[]): void {
  const puts = new Set<string>();
  for (const op of ops) {
    if (op.type !== 'put') continue;
    if (puts.has(op.key)) throw errors.duplicateKey();
    puts.add(op.key);
  }
  for (const op of ops) {
    if (op.type !== 'delete') continue;
    const iv = toInterval(op.sel);
    for (const key of puts) if (inInterval(key, iv)) throw errors.duplicateKey();
  }
}
