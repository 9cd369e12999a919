import { describeStorageConformance } from '../../testing/index.js';
import { InMemoryStorage } from './in-memory-storage.js';

describeStorageConformance('in-memory', async () => new InMemoryStorage());
