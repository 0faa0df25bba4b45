import { specShard } from './spec-helper.js';
specShard(1, 2);
