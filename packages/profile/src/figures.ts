import { renderVegaLitePng } from '@dnr/report';
import type { CalendarRow } from './calendar.js';
import type { Profile } from './types.js';

type Spec = Parameters<typeof renderVegaLitePng>[0];

export interface FigureEntry {
  file: string;
  title: string;
  spec: Spec;
}

const sub = (p: Profile) => `${p.archetype} · window ${p.window.start} → ${p.window.end} (${p.window.tz})`;

function heatmap(p: Profile, title: string, values: object[], x: { field: string; title: string }, y: { field: string; title: string }, color: { field: string; title: string; scheme?: string }): Spec {
  return {
    title: { text: title, subtitle: sub(p) },
    data: { values },
    mark: 'rect',
    width: 640,
    encoding: {
      x: { field: x.field, type: 'ordinal', title: x.title },
      y: { field: y.field, type: 'ordinal', title: y.title },
      color: { field: color.field, type: 'quantitative', title: color.title, scale: { scheme: color.scheme ?? 'blues' } },
    },
  } as Spec;
}

function calendarSpec(p: Profile, rows: CalendarRow[]): Spec {
  const values = rows.filter((r) => r.ratio !== null).flatMap((r) => [
    { day: `${r.name} ${r.date}`, kind: 'observed', ratio: r.ratio },
    ...(r.declared === null ? [] : [{ day: `${r.name} ${r.date}`, kind: 'declared', ratio: r.declared }]),
  ]);
  return {
    title: { text: 'Named days against the same weekday', subtitle: [sub(p), 'events that day ÷ mean of the same weekday ±1–4 weeks · 1 = ordinary day'] },
    data: { values },
    width: 560,
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      y: { field: 'day', type: 'nominal', sort: null, title: null },
      x: { field: 'ratio', type: 'quantitative', title: 'ratio to the same weekday', scale: { zero: false } },
      color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['observed', 'declared'], range: ['#4c78a8', '#f58518'] } },
      shape: { field: 'kind', type: 'nominal', title: null },
    },
  } as Spec;
}

/** Every figure the profile has data for (a section that is absent gets no figure). */
export function figureCatalog(p: Profile): FigureEntry[] {
  const out: FigureEntry[] = [];
  const nb = p.neobank;
  if (nb) {
    out.push({ file: 'cohort_retention.png', title: 'Cohort retention', spec: heatmap(p, 'Cohort retention: share of each signup month active', nb.cohorts.cells, { field: 'age', title: 'months since signup' }, { field: 'cohort', title: 'signup month' }, { field: 'share', title: 'share active' }) });
    out.push({ file: 'hour_by_sector.png', title: 'Hour of day by sector', spec: heatmap(p, 'Hour of day by sector (share of the sector’s transactions)', nb.seasonality.hour_by_sector, { field: 'hour', title: 'local hour' }, { field: 'sector', title: 'sector' }, { field: 'share', title: 'share' }) });
    out.push({ file: 'month_by_sector.png', title: 'Month of year by sector', spec: heatmap(p, 'Month of year by sector (daily volume ÷ the sector’s average)', nb.seasonality.month_by_sector, { field: 'month', title: 'month' }, { field: 'sector', title: 'sector' }, { field: 'index', title: 'index', scheme: 'blueorange' }) });
    out.push({
      file: 'day_of_week.png',
      title: 'Day of week',
      spec: { title: { text: 'Day of week (mean daily transactions ÷ the average day)', subtitle: sub(p) }, data: { values: nb.seasonality.day_of_week }, width: 420, mark: 'bar', encoding: { x: { field: 'dow', type: 'ordinal', title: 'ISO weekday (1 = Monday)' }, y: { field: 'index', type: 'quantitative', title: 'index' } } } as Spec,
    });
    if (nb.funnel) {
      out.push({
        file: 'funnel.png',
        title: 'Onboarding funnel',
        spec: { title: { text: 'Onboarding funnel (share of sign-ups reaching each stage)', subtitle: [sub(p), `sign-ups at least ${nb.funnel.maturity_days} days before the window end`] }, data: { values: nb.funnel.stages }, width: 520, mark: 'bar', encoding: { y: { field: 'stage', type: 'nominal', sort: null, title: null }, x: { field: 'from_signup', type: 'quantitative', title: 'share of sign-ups', axis: { format: '%' } } } } as Spec,
      });
    }
    if (nb.seasonality.calendar.length) out.push({ file: 'calendar_days.png', title: 'Named days', spec: calendarSpec(p, nb.seasonality.calendar) });
  }
  const mp = p.marketplace;
  if (mp) {
    if (mp.cohorts) {
      out.push({
        file: 'buyer_cohorts.png',
        title: 'Buyer cohorts',
        spec: { title: { text: 'Orders per buyer in the window, by signup year', subtitle: sub(p) }, data: { values: mp.cohorts }, width: 480, mark: 'bar', encoding: { x: { field: 'year', type: 'ordinal', title: 'signup year' }, y: { field: 'orders_per_buyer', type: 'quantitative', title: 'orders per buyer' } } } as Spec,
      });
    }
    if (mp.calendar.length) out.push({ file: 'calendar_days.png', title: 'Named days', spec: calendarSpec(p, mp.calendar) });
  }
  return out;
}
