export { OutputFolder, isCompleteOutput, type OutputSpec, type CommitOptions, type StagedOutput } from './commit.js';
export { inspectTarget, type ExistingOutput } from './inspect.js';
export { MARKER_FILE, OUTPUT_KINDS, readMarker, listTree, type OutputKind, type OutputMarker } from './marker.js';
export { checkPlacement, checkRealFilesystem, realPathOf, isWithin, type NamedPath } from './placement.js';
export { recoverLeftovers, recoverInput } from './recover.js';
export { checkSharedFile, writeSharedFile, type SharedFileSpec } from './shared.js';
export { makeScratchDir } from './temp.js';
