/**
 * The parts of the behaviour ground truth (behaviour.json, written by gen-warehouse next to
 * defects.json) that the profile and the behaviour gates read. Other keys are ignored.
 */
export interface BehaviourSummary {
  archetype: string;
  seed: number;
  window: { start: string; end: string; tz: string };
  /** Segment name → the share declared in config and the realised count of entities. */
  segments?: Record<string, { declared_share: number; customers?: number; entities?: number }>;
  /** Named calendar days inside the window with their multipliers (key → ×; '*' = every other key). */
  calendar?: Array<{ name: string; date: string; effects: Record<string, number> }>;
  /** The resolved `behaviour` config section of the archetype. */
  behaviour?: Record<string, unknown>;
}
