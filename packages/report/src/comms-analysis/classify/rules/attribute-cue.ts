import { ARCHETYPES } from '@dnr/core';
import { builtinContract, requiredColumns } from '@dnr/contract';

/*
 * "Split X by <attribute>" where the attribute exists nowhere in the warehouse is, in practice, a
 * request for a new field. Known attributes: every column of both archetypes (snake_case read as
 * words, with and without the _id / _at / _cents suffix), the entities themselves, derived groupings
 * people use for them (sector, cohort) and calendar grains.
 */
const TIME_GRAINS = ['day', 'days', 'date', 'week', 'weeks', 'weekday', 'month', 'months', 'quarter', 'year', 'hour', 'hour of day', 'day of week', 'local day', 'calendar month', 'fiscal month'];
const DERIVED = ['sector', 'merchant sector', 'merchant category', 'category', 'parent category', 'top level category', 'segment', 'cohort', 'signup month', 'signup cohort', 'vintage', 'tenure', 'region', 'campaign', 'channel', 'source', 'signup', 'signup date', 'kyc', 'verified kyc', 'kyc status', 'step', 'stage', 'funnel step', 'app', 'team', 'dashboard', 'user', 'users', 'customer', 'customers', 'plan', 'plan type', 'account type', 'card status', 'order', 'seller', 'buyer', 'listing', 'merchant', 'mcc', 'country', 'currency', 'status', 'type', 'name'];

const known = new Set<string>([...TIME_GRAINS, ...DERIVED]);
for (const tables of ARCHETYPES.map((a) => requiredColumns(builtinContract(a)))) {
  for (const [table, columns] of Object.entries(tables)) {
    known.add(table.replace(/^(?:dim|fact|snapshot)_/, '').replace(/_/g, ' '));
    for (const c of columns) {
      known.add(c.replace(/_/g, ' '));
      known.add(c.replace(/_(?:id|at|cents|bps|flag)$/, '').replace(/_/g, ' '));
    }
  }
}

const STOP = /\s+(?:this|last|next|for|in|on|and|or|split|per|since|from|to|vs|versus|with|over|during|please|pls|asap|as|the|a|by|between|where|when|ytd|mtd|qtd|only|excluding|including)\b.*$/;
const BY = /\bby ([a-z][a-z -]{1,40})/g;

/** 1 when the text groups by an attribute that is not in the warehouse, else 0. */
export function unknownAttributeCue(text: string): number {
  for (const m of text.matchAll(BY)) {
    const phrase = m[1].replace(/-/g, ' ').replace(STOP, '').replace(/\s+(?:attribute|field|column|dimension)$/, '').trim();
    if (!phrase) continue;
    const words = phrase.split(' ');
    const tail2 = words.slice(-2).join(' ');
    const tail1 = words[words.length - 1];
    // A multi-word phrase is judged by its last two words ("device type", "purchase date"); a single word by itself.
    if (known.has(phrase) || known.has(tail2) || (words.length === 1 && (known.has(tail1) || known.has(tail1.replace(/s$/, ''))))) continue;
    return 1;
  }
  return 0;
}
