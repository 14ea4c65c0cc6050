import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { loadConfig } from '../../load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dnr-behaviour-'));
  mkdirSync(path.join(dir, 'configs'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Load a YAML config and return the error message (every case here must fail with an input error). */
function problem(yaml: string, env: Record<string, string> = {}): string {
  writeFileSync(path.join(dir, 'configs', 'default.yaml'), yaml);
  try {
    loadConfig({ cwd: dir, env, loadDotEnv: false });
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('behaviour config', () => {
  it('defaults describe a whole neobank: five segments summing to 1 and named calendar days', () => {
    const { config } = loadConfig({ cwd: dir, env: {}, loadDotEnv: false });
    const segs = config.behaviour.neobank.segments;
    expect(Object.keys(segs)).toEqual(['salaried_primary', 'young_digital', 'occasional', 'traveller', 'gig_worker']);
    expect(Object.values(segs).reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    expect(Object.keys(config.behaviour.neobank.calendar)).toContain('black_friday');
  });

  it('one changed share merges into the defaults and must keep the sum at 1 (names the key and the shares)', () => {
    const msg = problem('behaviour:\n  neobank:\n    segments:\n      traveller:\n        share: 0.2\n');
    expect(msg).toContain('behaviour.neobank.segments: segment shares must sum to 1 (got 1.12');
    expect(msg).toContain('traveller 0.2');
  });

  it('a negative rate names its path and layer', () => {
    const msg = problem('', { DNR_BEHAVIOUR__NEOBANK__SEGMENTS__GIG_WORKER__CHURN__MONTHLY: '-0.01' });
    expect(msg).toContain('behaviour.neobank.segments.gig_worker.churn.monthly');
    expect(msg).toContain('DNR_BEHAVIOUR__NEOBANK__SEGMENTS__GIG_WORKER__CHURN__MONTHLY');
  });

  it('unknown names are rejected where they are referenced: segment tilts, calendar effects and relative events', () => {
    const msg = problem(
      [
        'behaviour:',
        '  neobank:',
        '    vintage:',
        "      '2024-01-01': {segment_tilt: {students: 2}}",
        '    calendar:',
        '      payday_sale: {rule: {relative_to: pay_day, offset_days: 1}, effects: {retial: 1.5}}',
        '    hour_of_day:',
        '      nightlife: {weekday: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], weekend: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}',
      ].join('\n'),
    );
    expect(msg).toContain('behaviour.neobank.vintage.2024-01-01.segment_tilt.students: unknown segment "students"');
    expect(msg).toContain('behaviour.neobank.calendar.payday_sale.rule.relative_to: unknown event "pay_day"');
    expect(msg).toContain('behaviour.neobank.calendar.payday_sale.effects.retial: unknown key "retial"');
    expect(msg).toContain('behaviour.neobank.hour_of_day.nightlife: unknown sector or MCC "nightlife"');
  });

  it('bank holidays must name calendar entries; cohort shocks cannot be negative', () => {
    expect(problem('behaviour:\n  neobank:\n    paydays:\n      bank_holidays: [labor_day, presidents_day]\n')).toContain(
      'behaviour.neobank.paydays.bank_holidays.1: unknown calendar entry "presidents_day"',
    );
    expect(problem('behaviour:\n  neobank:\n    cohort_shocks:\n      churn_sigma: -0.2\n')).toContain('behaviour.neobank.cohort_shocks.churn_sigma');
    expect(problem('behaviour:\n  neobank:\n    cohort_shocks:\n      kyc_sigmas: 0.2\n')).toContain('kyc_sigmas');
  });

  it('acquisition campaigns name known segments and ordered dates; recurring price weights match the prices; tax range ordered', () => {
    expect(problem('behaviour:\n  neobank:\n    acquisition_campaigns:\n      spring: {months_of_year: [4], segment_tilt: {students: 2}}\n')).toContain(
      'behaviour.neobank.acquisition_campaigns.spring.segment_tilt.students: unknown segment "students"',
    );
    expect(problem("behaviour:\n  neobank:\n    acquisition_campaigns:\n      push: {from: '2025-06-01', to: '2025-05-01'}\n")).toContain(
      'behaviour.neobank.acquisition_campaigns.push.to: to (2025-05-01) is before from (2025-06-01)',
    );
    expect(problem('behaviour:\n  neobank:\n    acquisition_campaigns:\n      jan: {months_of_year: [13]}\n')).toContain('behaviour.neobank.acquisition_campaigns.jan.months_of_year.0');
    expect(problem('behaviour:\n  neobank:\n    recurring:\n      video_streaming: {price_points_cents: [699, 1099], price_weights: [1, 2, 3]}\n')).toContain(
      'behaviour.neobank.recurring.video_streaming.price_weights: expected 2 weights (one per price point), got 3',
    );
    expect(problem('behaviour:\n  neobank:\n    prices:\n      sales_tax_pct: {min: 9, max: 5}\n')).toContain('behaviour.neobank.prices.sales_tax_pct.min: min (9) is above max (5)');
    // card_issue is {conversion, lag} now; the former bare-lag shape is read as its lag, so the bad key is reported under lag
    expect(problem('behaviour:\n  neobank:\n    onboarding:\n      card_issue: {tail_share: 1.5}\n')).toContain(
      'behaviour.neobank.onboarding.card_issue.lag.tail_share: Number must be less than or equal to 1; got 1.5 (from yaml configs/default.yaml:4:20)',
    );
    expect(problem('behaviour:\n  neobank:\n    onboarding:\n      card_issue: {lag: {tail_share: 1.5}}\n')).toContain('behaviour.neobank.onboarding.card_issue.lag.tail_share');
    expect(problem('behaviour:\n  neobank:\n    onboarding:\n      account_open: {conversion: 1.2}\n')).toContain('behaviour.neobank.onboarding.account_open.conversion');
    expect(problem('behaviour:\n  neobank:\n    onboarding:\n      account_open: {conversion: 0.9, median_hourz: 1}\n')).toContain('behaviour.neobank.onboarding.account_open.median_hourz: unknown key');
  });

  it('account_open and card_issue: a conversion and a lag, the former bare-lag shape still parses', () => {
    const load = (yaml: string) => {
      writeFileSync(path.join(dir, 'configs', 'default.yaml'), yaml);
      return loadConfig({ cwd: dir, env: {}, loadDotEnv: false }).config.behaviour.neobank.onboarding;
    };
    const d = load('{}\n');
    expect(d.account_open).toEqual({ conversion: 0.96, lag: { median_hours: 0.02, sigma: 1 } });
    expect(d.card_issue.conversion).toBe(0.95);
    expect(d.card_issue.lag).toEqual({ median_hours: 10, sigma: 1.1, tail_share: 0.2, tail_median_hours: 80, tail_sigma: 0.7 });
    const legacy = load('behaviour:\n  neobank:\n    onboarding:\n      account_open: {median_hours: 0.5}\n      card_issue: {tail_share: 0.1}\n');
    expect(legacy.account_open).toEqual({ conversion: 0.96, lag: { median_hours: 0.5, sigma: 1 } });
    expect(legacy.card_issue.conversion).toBe(0.95);
    expect(legacy.card_issue.lag.tail_share).toBe(0.1);
    const set = load('behaviour:\n  neobank:\n    onboarding:\n      account_open: {conversion: 0.9}\n      card_issue: {conversion: 0.8, lag: {median_hours: 4}}\n');
    expect(set.account_open.conversion).toBe(0.9);
    expect(set.card_issue).toMatchObject({ conversion: 0.8, lag: { median_hours: 4, tail_share: 0.2 } });
  });

  it('interchange shares sum to 1, retry cuts are ordered, habits and counts are checked', () => {
    expect(problem('behaviour:\n  neobank:\n    interchange:\n      networks:\n        visa: {share: 0.8}\n')).toContain('behaviour.neobank.interchange.networks: network shares must sum to 1 (got 1.1)');
    expect(problem('behaviour:\n  neobank:\n    interchange:\n      merchant_tiers:\n        standard: {share: 0.5, bps: 0}\n')).toContain('behaviour.neobank.interchange.merchant_tiers: merchant tier shares must sum to 1 (got 0.82)');
    expect(problem('behaviour:\n  neobank:\n    declines:\n      retry_amount_cut: {min: 0.6, max: 0.2}\n')).toContain('behaviour.neobank.declines.retry_amount_cut.min: min (0.6) is above max (0.2)');
    expect(problem('behaviour:\n  neobank:\n    segments:\n      occasional: {weekend_lean: 1.5}\n')).toContain('behaviour.neobank.segments.occasional.weekend_lean');
    expect(problem('behaviour:\n  neobank:\n    inflow:\n      counts: {mode: quota}\n')).toContain('behaviour.neobank.inflow.counts.mode');
    expect(problem('behaviour:\n  neobank:\n    cards:\n      validity_years: [0]\n')).toContain('behaviour.neobank.cards.validity_years.0');
    expect(problem('behaviour:\n  neobank:\n    merchants:\n      sector_loyalty: {groceries: 2}\n')).toContain('behaviour.neobank.merchants.sector_loyalty');
  });

  it('curves must have the right length and pay schedules must sum to 1', () => {
    expect(problem('behaviour:\n  neobank:\n    month_of_year:\n      travel: [1, 2, 3]\n')).toContain(
      'behaviour.neobank.month_of_year.travel: expected 12 monthly multipliers, January first; got [1,2,3] (from yaml configs/default.yaml:4:7)',
    );
    expect(problem('behaviour:\n  neobank:\n    paydays:\n      schedule_shares: {monthly: 0.5}\n')).toContain(
      'behaviour.neobank.paydays.schedule_shares: pay schedule shares must sum to 1 (got 1.32)',
    );
  });

  it('marketplace: defaults describe buyers, shops and a calendar; bad keys exit 2 naming the key', () => {
    const { config } = loadConfig({ cwd: dir, env: {}, loadDotEnv: false });
    const mk = config.behaviour.marketplace;
    expect(Object.keys(mk.buyers.segments)).toEqual(['gift_shopper', 'regular', 'crafter', 'collector']);
    expect(Object.keys(mk.sellers.segments)).toEqual(['hobbyist', 'part_time', 'professional', 'power_seller']);
    expect(Object.keys(mk.calendar)).toEqual(expect.arrayContaining(['black_friday', 'cyber_monday']));
    expect(problem('behaviour:\n  marketplace:\n    buyers:\n      segments:\n        crafter: {share: 0.3}\n')).toContain(
      'behaviour.marketplace.buyers.segments: segment shares must sum to 1 (got 1.14',
    );
    expect(problem('behaviour:\n  marketplace:\n    sellers:\n      segments:\n        hobbyist: {stock: -1}\n')).toContain('behaviour.marketplace.sellers.segments.hobbyist.stock');
    const refs = problem(
      [
        'behaviour:',
        '  marketplace:',
        '    buyers:',
        '      vintage:',
        "        '2024-01-01': {segment_tilt: {students: 2}}",
        '    calendar:',
        '      spring_sale: {rule: {relative_to: easter, offset_days: 1}, effects: {jewellery: 1.5}}',
        '    countries:',
        '      US: {buyer_share: 0.5, seller_share: 0.5, tz: Mars/Olympus}',
        '      GB: {buyer_share: 0.1, seller_share: 0.5, zones: {Mars/Phobos: 0, Europe/London: 0}}',
      ].join('\n'),
    );
    expect(refs).toContain('behaviour.marketplace.buyers.vintage.2024-01-01.segment_tilt.students: unknown segment "students"');
    expect(refs).toContain('behaviour.marketplace.calendar.spring_sale.rule.relative_to: unknown event "easter"');
    expect(refs).toContain('behaviour.marketplace.calendar.spring_sale.effects.jewellery: unknown key "jewellery"');
    expect(refs).toContain('behaviour.marketplace.countries: country buyer_shares must sum to 1');
    expect(refs).toContain('behaviour.marketplace.countries.US.tz: unknown IANA time zone "Mars/Olympus"');
    expect(refs).toContain('behaviour.marketplace.countries.GB.zones.Mars/Phobos: unknown IANA time zone "Mars/Phobos"');
    expect(refs).toContain('behaviour.marketplace.countries.GB.zones: at least one zone needs a share > 0');
    expect(problem('behaviour:\n  marketplace:\n    orders:\n      home_country_bias: 0.5\n')).toContain('behaviour.marketplace.orders.home_country_bias');
  });
  it('marketplace listing-creation and shop-status clocks: bad curves exit 2 naming the key', () => {
    expect(problem('behaviour:\n  marketplace:\n    listings:\n      creation_day_of_week: [1, 1, 1, 1, 1, 1]\n')).toContain('behaviour.marketplace.listings.creation_day_of_week: expected 7 weights, Monday first');
    expect(problem('behaviour:\n  marketplace:\n    listings:\n      creation_day_of_week: [0, 0, 0, 0, 0, 0, 0]\n')).toContain('behaviour.marketplace.listings.creation_day_of_week: every weekday weight is 0');
    const zeros = `[${Array(24).fill(0).join(', ')}]`;
    expect(problem(`behaviour:\n  marketplace:\n    listings:\n      creation_hour_of_day: {weekend: ${zeros}}\n`)).toContain('behaviour.marketplace.listings.creation_hour_of_day: every hour weight is 0');
    expect(problem('behaviour:\n  marketplace:\n    sellers:\n      status_hour_of_day: {weekday: [1, 2]}\n')).toContain('behaviour.marketplace.sellers.status_hour_of_day.weekday: expected 24 hourly weights');
    const negative = `[-1, ${Array(23).fill(1).join(', ')}]`;
    expect(problem(`behaviour:\n  marketplace:\n    sellers:\n      status_hour_of_day: {weekend: ${negative}}\n`)).toContain('behaviour.marketplace.sellers.status_hour_of_day.weekend.0');
  });
});
