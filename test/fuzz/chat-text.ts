/**
 * Chat command text: random text, text made of the grammar's own words in random order, and valid
 * `plan`/`create` commands built from a plan whose parameters are known (so a purchase can be
 * checked against them).
 */
import fc from 'fast-check';
import { AREAS, PERIODS, type Plan, textOfLength, validName } from './plans';

const SPACES = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\u3000', '\u00a0', '\n');
const VOCABULARY = fc.constantFrom(
  'plan',
  'create',
  'confirm',
  'status',
  'help',
  'bwp',
  '/bwp',
  'PLAN',
  'Create',
  '0',
  '1',
  '2',
  '100',
  '10000',
  '10001',
  '-5',
  '2.5',
  '100M',
  '100Mbps',
  'Mbps',
  '1e3',
  'China',
  'china',
  'EUROPE',
  'asia-pacific',
  'AsiaPacific',
  'North America',
  'Australia',
  'Mars',
  'north_america',
  'name=x',
  'name=',
  'name=ops-plan',
  'desc="two words"',
  'desc=',
  'description="a"',
  'prepay',
  'prepay 3 month',
  'prepay 12',
  'prepay 2 year',
  'month',
  'years',
  'autorenew',
  'auto-renew',
  'autopay',
  'autopay=yes',
  '__proto__',
  'constructor=1',
  'toString',
  '"',
  '“',
  '”',
  '"unclosed',
  'cenbwp-abc123',
  'cenbwp-',
  'CENBWP-ABC',
  'confirm confirm',
  '<!channel>',
  '&amp;',
  '@_user_1',
  '@_all',
);

/** Text that is almost a command: the grammar's words (and some near misses) in random order. */
export const commandishText = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: VOCABULARY }, fc.string({ unit: 'binary', maxLength: 12 })), SPACES), { maxLength: 10 })
  .map((parts) => parts.map(([word, space]) => word + space).join(''));

export const randomText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.integer({ min: 3_000, max: 40_000 }).map((length) => `plan ${'9'.repeat(length)} China Europe`),
);

/** A random confirmation "code": base62 of any length, or garbage. */
export const randomCode = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 400 }),
  fc.string({ maxLength: 40 }),
);

/** An area as a person might type it: any case, with or without the hyphen. */
const areaAsTyped = (area: string) =>
  fc.constantFrom(area, area.toLowerCase(), area.toUpperCase(), area.replace('-', ''), area.replace('-', '_').toLowerCase());

/** A description that survives the grammar: no quotes (they delimit it), no Lark mention markers. */
const chatDescription = fc
  .integer({ min: 2, max: 256 })
  .chain(textOfLength)
  .filter((text) => !/["\u201C\u201D]/.test(text) && !text.includes('@_') && !/^https?:\/\//i.test(text) && [...text].length >= 2);

export interface ChatPlanCommand {
  readonly kind: 'plan' | 'create';
  /** The text as typed. */
  readonly text: string;
  /** The request the text stands for (before defaults). */
  readonly plan: Plan;
}

/** A valid `plan`/`create` command and the request it describes. */
export const chatPlanCommand = (kind: 'plan' | 'create'): fc.Arbitrary<ChatPlanCommand> =>
  fc
    .record({
      bandwidth: fc.oneof(fc.constantFrom(2, 10_000), fc.integer({ min: 2, max: 10_000 })),
      unit: fc.constantFrom('', 'M', 'Mbps', ' Mbps', 'mbit/s'),
      areaA: fc.constantFrom(...AREAS).chain((area) => areaAsTyped(area).map((typed) => [area, typed] as const)),
      areaB: fc.constantFrom(...AREAS).chain((area) => areaAsTyped(area).map((typed) => [area, typed] as const)),
      name: fc.option(validName, { nil: undefined }),
      description: fc.option(chatDescription, { nil: undefined }),
      prepay: fc.option(
        fc.constantFrom('Month', 'Year').chain((cycle) =>
          fc.record({
            cycle: fc.constant(cycle),
            period: fc.constantFrom(...PERIODS[cycle as 'Month' | 'Year']),
            form: fc.constantFrom('spaced', 'joined', 'unit-only', 'bare'),
          }),
        ),
        { nil: undefined },
      ),
      autorenew: fc.boolean(),
      autopay: fc.boolean(),
      order: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
    })
    .map(({ bandwidth, unit, areaA, areaB, name, description, prepay, autorenew, autopay, order }) => {
      const options: Array<[string, Plan]> = [];
      if (name !== undefined) options.push([`name=${name}`, { Name: name }]);
      if (description !== undefined) options.push([`desc="${description}"`, { Description: description }]);
      if (prepay !== undefined) {
        // `prepay` alone is one month; a unit alone is one of it; a number needs its unit.
        const period = prepay.form === 'bare' ? 1 : prepay.form === 'unit-only' ? 1 : prepay.period;
        const cycle = prepay.form === 'bare' ? 'Month' : prepay.cycle;
        const unitWord = cycle === 'Year' ? 'year' : 'month';
        const typed = { spaced: `prepay ${period} ${unitWord}`, joined: `prepay ${period}${unitWord}s`, 'unit-only': `prepay ${unitWord}`, bare: 'prepay' }[
          prepay.form
        ];
        options.push([typed, { BandwidthPackageChargeType: 'PREPAY', Period: period, PricingCycle: cycle }]);
      }
      if (autorenew) options.push(['autorenew', { AutoRenew: true }]);
      if (autopay) options.push(['autopay', { AutoPay: true }]);
      const shuffled = options
        .map((option, index) => [order[index] ?? 0, option] as const)
        .sort(([a], [b]) => a - b)
        .map(([, option]) => option);
      const text = [kind, `${bandwidth}${unit}`, areaA[1], areaB[1], ...shuffled.map(([word]) => word)].join(' ');
      const plan = Object.assign(
        { Bandwidth: bandwidth, GeographicRegionAId: areaA[0], GeographicRegionBId: areaB[0] },
        ...shuffled.map(([, part]) => part),
      ) as Plan;
      return { kind, text, plan };
    });

/** The code in a `create` preview: the last `Reply "confirm …"` in the reply text. */
export function codeInPreview(text: string): string | undefined {
  return [...text.matchAll(/confirm ([A-Za-z0-9]{23,})/g)].at(-1)?.[1];
}
