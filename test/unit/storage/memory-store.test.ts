/**
 * The conformance suite run against the in-memory reference store (test/helpers/memory-store.ts). This checks the
 * suite and the MvccModel that the property test uses as its oracle: if the reference fails, the suite or the model
 * is wrong, not the store under test.
 */
import { FakeClock } from '../../../src/base/clock';
import { storeConformance } from '../../conformance/store.conformance';
import { MemoryStore } from '../../helpers/memory-store';

storeConformance(
  'in-memory reference model',
  async () => {
    const clock = new FakeClock();
    const store = new MemoryStore({ clock, watchBufferEvents: 64 });
    return { store, clock, cleanup: () => store.close() };
  },
  { watchBufferEvents: 64 },
);
