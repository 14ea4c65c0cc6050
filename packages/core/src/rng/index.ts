export { RandomStream, cumulativeWeights, rng } from './stream.js';
export { hash4, hashString, fmix32 } from './hash.js';
