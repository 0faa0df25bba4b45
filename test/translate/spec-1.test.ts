import { specShard } from './spec-helper.js';
specShard(0, 2);
