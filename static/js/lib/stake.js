/* Stakes as crews type them (K3456+780): the one pattern the phone checks, the typed text folded
 * the way the server reads it, and the chainage a stake names. Pure: node tests it
 * (tests/js/stake.test.mjs). Plain ES2017 (no ?. or ??).
 */

/* A stake: kilometres, "+", three digits of metres (a fraction allowed); the K may be left out. */
export const STAKE = /^K?\d+\+\d{3}(\.\d+)?$/;

/* A typed stake as the server reads it: full-width digits folded (NFKC), spaces dropped, upper case. */
export function normaliseStake(text) {
  let value = String(text === undefined || text === null ? "" : text);
  if (value.normalize) value = value.normalize("NFKC");
  return value.replace(/\s+/g, "").toUpperCase();
}

/* Whether an already normalised text is a stake. */
export function isStake(value) {
  return STAKE.test(String(value || ""));
}

/* K3502+400 → 3502400 (metres of nominal chainage); NaN for anything else. */
export function chainageOf(stake) {
  const match = /^K?(\d+)\+(\d{3}(?:\.\d+)?)$/.exec(normaliseStake(stake));
  return match ? Number(match[1]) * 1000 + Number(match[2]) : NaN;
}
