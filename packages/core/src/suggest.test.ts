import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from './suggest.js';

const COMMANDS = ['config', 'eval-labels', 'gen-comms', 'gen-warehouse', 'init', 'quickstart', 'run-report', 'validate'];

describe('closestMatch', () => {
  it('finds one-, two- and three-edit typos', () => {
    expect(closestMatch('gen-warehose', COMMANDS)).toBe('gen-warehouse');
    expect(closestMatch('genwarehouse', COMMANDS)).toBe('gen-warehouse');
    expect(closestMatch('runreport', COMMANDS)).toBe('run-report');
    expect(closestMatch('quikstart', COMMANDS)).toBe('quickstart');
    expect(closestMatch('valdiate', COMMANDS)).toBe('validate');
    expect(closestMatch('Config', COMMANDS)).toBe('config');
    expect(closestMatch('modle', ['model', 'module'])).toBe('model');
    expect(closestMatch('qiuckstart', COMMANDS)).toBe('quickstart');
  });

  it('completes a prefix of three letters or more', () => {
    expect(closestMatch('quick', COMMANDS)).toBe('quickstart');
    expect(closestMatch('arch', ['archetype', 'out', 'seed'])).toBe('archetype');
    expect(closestMatch('ar', ['archetype', 'out', 'seed'])).toBeUndefined();
  });

  it('prefers the nearest candidate and keeps the caller order on ties', () => {
    expect(closestMatch('sead', ['seed', 'scale'])).toBe('seed');
    expect(closestMatch('gen-coms', COMMANDS)).toBe('gen-comms');
    expect(closestMatch('ab', ['ac', 'ad'])).toBe('ac');
  });

  it('suggests nothing for a word that is not a typo of any candidate', () => {
    expect(closestMatch('deploy', COMMANDS)).toBeUndefined();
    expect(closestMatch('x', COMMANDS)).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('formats a suggestion or nothing', () => {
    expect(didYouMean('sed', ['seed'], (s) => `--${s}`)).toBe(' Did you mean --seed?');
    expect(didYouMean('zzz', ['seed'])).toBe('');
  });
});
