import type { DuckDBConnection } from '@duckdb/node-api';
import type { RandomStream } from '@dnr/core';
import { lagSeconds } from '../../behaviour/lag.js';
import { loadColumns } from '../../behaviour/load.js';
import type { EntityFailures } from '../../defects/entity.js';
import type { GenContext } from '../../context.js';
import type { MarketWorld } from './world.js';

export type PartyDim = 'buyer' | 'seller' | 'listing';

/** Buyers, sellers and listings whose dimension rows the FK failures break (defects/entity.ts). */
export type PartyKeyFailures = Partial<Record<PartyDim, EntityFailures>>;

/**
 * How a party's created_at gets re-stamped later than it should be (the temporal FK failure): a
 * listing renewed after its expiry gets the renewal's time (one of its renewals before the stamp: each
 * comes `listings.expiry_days` after the previous period began plus the seller's `renewal_delay`, to the
 * second, so renewals drift off any fixed grid), a shop re-opened after a closure or a long vacation,
 * or a buyer account merged into a new login, is recorded as created at that moment (any time of its
 * life inside the window).
 */
function restampOf(m: MarketWorld['m'], dim: PartyDim, c: number, from: number, to: number, rs: RandomStream, k: number): number {
  if (dim === 'listing') {
    const lb = m.b.listings;
    const renewals: number[] = [];
    let t = c;
    for (let i = 0; renewals.length < 1000; i++) {
      t += lb.expiry_days * 86400 + Math.min(lb.expiry_days * 86400, lagSeconds(lb.renewal_delay, rs.standardNormal(k, 1 + i)));
      if (t >= to) break;
      renewals.push(t);
    }
    if (renewals.length < 1) return NaN;
    const r = renewals[Math.floor(rs.uniform(k, 0) * renewals.length)];
    return r >= from ? Math.floor(r) : NaN;
  }
  const lo = Math.max(c + 86400, from);
  return lo < to ? Math.floor(lo + rs.uniform(k, 0) * (to - lo)) : NaN;
}

/**
 * Candidate re-stamped creation times `tc_{dim}(id, rec TIMESTAMP)` of every buyer, seller and listing
 * (inside the window, at least two weeks before its end); which are written is chosen after the facts.
 * Returns id → recorded creation (UTC seconds) per dimension.
 */
export async function installRestampedCreations(conn: DuckDBConnection, world: MarketWorld): Promise<Record<PartyDim, Map<number, number>>> {
  const { m, ids } = world;
  const created: Record<PartyDim, ArrayLike<number>> = { buyer: world.buyers.signup, seller: world.sellers.opened, listing: world.listings.created };
  const out = {} as Record<PartyDim, Map<number, number>>;
  for (const dim of ['buyer', 'seller', 'listing'] as const) {
    const rs = m.rs(`defects.restamp.${dim}`);
    const rec = new Map<number, number>();
    const c = created[dim];
    const from = m.clock.midnight(0);
    const to = m.endUtc - 14 * 86400;
    for (let k = 0; k < c.length; k++) {
      const t = restampOf(m, dim, c[k], from, to, rs, k);
      if (!Number.isNaN(t)) rec.set(ids[dim][k], t);
    }
    await loadColumns(conn, `tc_${dim}_src`, [
      ['id', 'BIGINT', [...rec.keys()]],
      ['rec', 'BIGINT', [...rec.values()]],
    ]);
    await conn.run(`CREATE OR REPLACE TABLE tc_${dim} AS SELECT id, make_timestamp(rec * 1000000) AS rec FROM tc_${dim}_src`);
    out[dim] = rec;
  }
  return out;
}

const ts = (col: string) => `make_timestamp((${col}) * 1000000)::TIMESTAMP`;

/** WHERE leaving out the never-loaded ids ('' when none). */
const notIn = (column: string, f: EntityFailures | undefined) => (f?.missing.length ? `WHERE ${column} NOT IN (SELECT unnest([${f.missing.join(', ')}]::BIGINT[]))` : '');

/**
 * dim_buyer, dim_seller and dim_listing from the working tables mk_*, written after the facts: the
 * rows of never-loaded parties are left out and re-stamped ones get their recorded created_at.
 */
export async function writePartyDims(ctx: GenContext, failures: PartyKeyFailures): Promise<void> {
  const { conn, writer } = ctx;
  for (const dim of ['buyer', 'seller', 'listing'] as const) {
    const f = failures[dim];
    // mis-dated parties (FK failures) and bulk update-job re-stamps (defects/incidents.ts) alike
    const rec = new Map([...(f?.restamped ?? []), ...(f?.late ?? [])]);
    if (rec.size) {
      await loadColumns(conn, `late_${dim}`, [
        ['id', 'BIGINT', [...rec.keys()]],
        ['rec', 'BIGINT', [...rec.values()]],
      ]);
    } else await conn.run(`CREATE OR REPLACE TABLE late_${dim} (id BIGINT, rec BIGINT)`);
  }
  const created = `${ts('coalesce(l.rec, x.created)')} AS created_at`;
  const from = (dim: PartyDim) => `mk_${dim} x LEFT JOIN late_${dim} l ON l.id = x.${dim}_id`;
  if (ctx.want('dim_buyer')) await writer.single('dim_buyer', `SELECT buyer_id, ${created}, country FROM ${from('buyer')} ${notIn('buyer_id', failures.buyer)} ORDER BY buyer_id`);
  if (ctx.want('dim_seller'))
    await writer.single('dim_seller', `SELECT seller_id, ${created}, country, shop_status FROM ${from('seller')} ${notIn('seller_id', failures.seller)} ORDER BY seller_id`);
  if (ctx.want('dim_listing'))
    await writer.single(
      'dim_listing',
      `SELECT listing_id, seller_id, category_id, ${created}, status, price_cents FROM ${from('listing')} ${notIn('listing_id', failures.listing)} ORDER BY listing_id`,
    );
}

/**
 * Per shop id, the earliest true creation (UTC seconds) of its listings. A dim_listing row refers to its
 * shop as a fact row does: a bulk update job may re-stamp a shop's created_at (defects/incidents.ts) no
 * later than this, so no listing precedes its shop because of it.
 */
export function firstListingBySeller(world: Pick<MarketWorld, 'listings' | 'ids'>): Map<number, number> {
  const { listings: L, ids } = world;
  const out = new Map<number, number>();
  for (let i = 0; i < L.n; i++) {
    const id = ids.seller[L.seller[i]];
    const was = out.get(id);
    if (was === undefined || L.created[i] < was) out.set(id, L.created[i]);
  }
  return out;
}

/**
 * dim_listing rows written with a created_at earlier than their shop's written created_at, for the shops
 * whose validity start was recorded late (the temporal FK failures of fact_order_item.seller_id): the
 * listings they created before that recorded start. Counted on the written values (re-stamped listings
 * at their recorded time; rows of never-loaded listings or shops left out), so defects.json records
 * exactly what a reader of dim_listing and dim_seller finds.
 */
export function listingsBeforeLateShops(world: Pick<MarketWorld, 'listings' | 'ids'>, failures: PartyKeyFailures): number {
  const shops = failures.seller?.late;
  if (!shops?.size) return 0;
  const { listings: L, ids } = world;
  const gone = new Set(failures.listing?.missing ?? []);
  const listingRec = new Map([...(failures.listing?.restamped ?? []), ...(failures.listing?.late ?? [])]);
  let n = 0;
  for (let i = 0; i < L.n; i++) {
    const shopFrom = shops.get(ids.seller[L.seller[i]]);
    const id = ids.listing[i];
    if (shopFrom === undefined || gone.has(id)) continue;
    if ((listingRec.get(id) ?? L.created[i]) < shopFrom) n++;
  }
  return n;
}
