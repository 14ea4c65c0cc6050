import { countTokens } from '@dnr/core';
import { describe, expect, it } from 'vitest';
import { capTokens, hasCode, linkDomains, scrubText } from './text.js';

const ALLOWED = ['jira.example', 'dbt.example'];

describe('text hygiene', () => {
  it('removes e-mail addresses, phone numbers and links outside the allowlist', () => {
    const s = scrubText('mail ann.lee@corp.com or call +1 415 555 0199 / (212) 555-0100, see https://evil.com/x and https://jira.example/browse/DATA-1 www.foo.io', ALLOWED);
    expect(s).not.toMatch(/@corp|555|evil|foo\.io/);
    expect(s).toContain('https://jira.example/browse/DATA-1');
    expect(scrubText('ping @nb-u0042 about txn 12,345,678', ALLOWED)).toBe('ping @nb-u0042 about txn 12,345,678');
  });

  it('finds link domains and code', () => {
    expect(linkDomains('a https://jira.example/x b https://dbt.example/#!/m and https://jira.example/y')).toEqual(['jira.example', 'dbt.example']);
    expect(hasCode('run `select 1`')).toBe(true);
    expect(hasCode('select count(*) from fact_order')).toBe(true);
    expect(hasCode('please select a date for the offsite')).toBe(false);
  });

  it('caps tokens at a word boundary', () => {
    const long = 'the orders join drops rows since monday '.repeat(30);
    const cut = capTokens(long, 80, 'gpt-4o-mini');
    expect(countTokens(cut)).toBeLessThanOrEqual(80);
    expect(countTokens(cut)).toBeGreaterThan(70);
    expect(long.startsWith(cut)).toBe(true);
    expect(capTokens('short', 80, 'gpt-4o-mini')).toBe('short');
  });
});
