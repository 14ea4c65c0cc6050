import { hashString } from '@dnr/core';
import type { AccountsAndCards } from './accounts.js';
import type { NeobankModel } from './model.js';

/**
 * Interchange terms of every card (index = card index): regulated debit (1) or exempt (0), and the
 * exempt card's adjustment in bps by channel: card product (premium debit) + network programme.
 * Drawn once per card from `behaviour.neobank.interchange` (a replacement card is a new draw of the
 * product but keeps the account's network).
 */
export interface CardInterchange {
  regulated: Int8Array;
  cardPresent: Float64Array;
  contactless: Float64Array;
  ecommerce: Float64Array;
}

export function cardInterchange(m: NeobankModel, ac: AccountsAndCards): CardInterchange {
  const ic = m.b.interchange;
  const rs = m.rs('card.interchange');
  const n = ac.cards.length;
  const out: CardInterchange = { regulated: new Int8Array(n), cardPresent: new Float64Array(n), contactless: new Float64Array(n), ecommerce: new Float64Array(n) };
  ac.cards.forEach((card, k) => {
    // the partner bank and the network belong to the account; the product tier to the card
    const regulated = rs.uniform(card.account, 0) < ic.regulated_share;
    const net = rs.uniform(card.account, 1) < ic.networks.visa.share ? ic.networks.visa : ic.networks.mastercard;
    const premium = rs.uniform(k, 2) < ic.premium_card_share ? ic.premium_card_bps : 0;
    out.regulated[k] = regulated ? 1 : 0;
    out.cardPresent[k] = premium + net.card_present_bps;
    out.contactless[k] = premium + net.contactless_bps;
    out.ecommerce[k] = premium + net.ecommerce_bps;
  });
  return out;
}

/**
 * SQL of a transaction's interchange in bps (INTEGER, ≥ 1): regulated cards pay regulated_cents +
 * regulated_bps of the amount whatever the MCC; exempt cards the MCC rate `bps0` + the card's
 * product/network adjustment for the channel (columns ic_cp, ic_cl, ic_ec of nb_card) + the
 * merchant's tier (a seeded hash of the merchant id picks the tier, so a merchant keeps its tier).
 */
export function interchangeSql(m: NeobankModel, x: { bps0: string; channel: string; amount: string; merchant: string; card: string }): string {
  const ic = m.b.interchange;
  const salt = `${hashString(`neobank/${m.seed}/interchange-tier`)}::BIGINT`;
  let acc = 0;
  const tiers = Object.values(ic.merchant_tiers);
  const tier = `(CASE ${tiers
    .slice(0, -1)
    .map((t) => `WHEN u16(hash(xor(${x.merchant}::BIGINT, ${salt})), 0) < ${(acc += t.share)} THEN ${t.bps}`)
    .join(' ')} ELSE ${tiers[tiers.length - 1].bps} END)`;
  const exempt = `${x.bps0} + CASE ${x.channel} WHEN 'ecommerce' THEN ${x.card}.ic_ec WHEN 'contactless' THEN ${x.card}.ic_cl ELSE ${x.card}.ic_cp END + ${tier}`;
  const regulated = `(${ic.regulated_cents} + ${ic.regulated_bps / 10000} * ${x.amount}) * 10000.0 / greatest(${x.amount}, 1)`;
  return `greatest(1, round(CASE WHEN ${x.card}.ic_reg = 1 THEN ${regulated} ELSE ${exempt} END))::INTEGER`;
}
