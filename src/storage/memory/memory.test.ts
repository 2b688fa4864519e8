import { runStoreContract } from '../contract.js';
import { createStore } from '../index.js';

runStoreContract('memory', { open: () => createStore({ kind: 'memory' }) });
