/*
 * (Over 300 lines because it is data: one entry per town, not logic.)
 *
 * Demo seed data: the 27 single-industry towns ("monotowns") of Kazakhstan's
 * national monotown programme, the founding members of the association.
 * Their slugs, regions and names are reference data (content/taxonomies/towns.json,
 * which content validation also reads); this file adds what the demo says about each.
 *
 * NOTE: population figures are approximate (around 2020, town proper, rounded
 * to the nearest 1,000) and are for demonstration only — do not cite them.
 * Regions follow the 2022 administrative reform (Abai, Ulytau, Zhetisu regions).
 * Economic-potential categories: OECD (2017), as cited in Junussova & Beimisheva,
 * "The transition of monotowns from the Soviet legacy to a market economy".
 */
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import type { EconomicPotential } from '~/server/db/schema.ts';

/** A string given in Kazakh, Russian and English. */
type Localized = { kk: string; ru: string; en: string };

/** One founding member town, as seeded into the demo database. */
export interface SeedTown {
  /** Lowercase latin, hyphens, e.g. 'temirtau'; an id from content/taxonomies/towns.json. */
  slug: string;
  name: Localized;
  /** Region id, from content/taxonomies/regions.json. */
  region: string;
  /** Approximate, rounded to the nearest 1,000. */
  population: number;
  /** Industry id, from content/taxonomies/industries.json (a test checks every town's). */
  mainIndustry: string;
  /** The town-forming enterprise or industry, short. */
  foundingEnterprise: Localized;
  /** Economic-potential category given by the national monotown programme (OECD 2017). */
  potential: EconomicPotential;
}

/** What the demo says about a town beyond its reference data (slug, region, name). */
export type TownDemoFacts = Omit<SeedTown, 'name' | 'region'>;

/** Shared description for the two Karatau-basin phosphorite towns. */
const PHOSPHORITE_KARATAU: Localized = {
  kk: 'Фосфорит өндіру (Қаратау бассейні)',
  ru: 'Добыча фосфоритов (Каратауский бассейн)',
  en: 'Phosphorite mining (Karatau basin)',
};

/** Shared description for the Karaganda-basin coal towns. */
const COAL_KARAGANDA: Localized = {
  kk: 'Көмір өндіру (Қарағанды көмір бассейні)',
  ru: 'Добыча угля (Карагандинский угольный бассейн)',
  en: 'Coal mining (Karaganda coal basin)',
};

/** Each founding town's demo facts, by slug. */
export const TOWN_DEMO_FACTS: readonly TownDemoFacts[] = [
  {
    slug: 'aksai',
    population: 35_000,
    mainIndustry: 'oil-gas',
    foundingEnterprise: {
      kk: 'Қарашығанақ мұнай-газ конденсатты кен орны',
      ru: 'Карачаганакское нефтегазоконденсатное месторождение',
      en: 'Karachaganak oil and gas condensate field',
    },
    potential: 'medium',
  },
  {
    slug: 'aksu',
    population: 44_000,
    mainIndustry: 'ferroalloys',
    foundingEnterprise: {
      kk: 'Ақсу ферроқорытпа зауыты',
      ru: 'Аксуский завод ферросплавов',
      en: 'Aksu ferroalloy plant',
    },
    potential: 'high',
  },
  {
    slug: 'arkalyk',
    population: 28_000,
    mainIndustry: 'bauxite',
    foundingEnterprise: {
      kk: 'Боксит өндіру (Торғай кен орындары)',
      ru: 'Добыча бокситов (Тургайские месторождения)',
      en: 'Bauxite mining (Turgai deposits)',
    },
    potential: 'low',
  },
  {
    slug: 'balkhash',
    population: 66_000,
    mainIndustry: 'copper',
    foundingEnterprise: {
      kk: 'Балқаш мыс балқыту зауыты (Қазақмыс)',
      ru: 'Балхашский медеплавильный завод (Казахмыс)',
      en: 'Balkhash copper smelter (Kazakhmys)',
    },
    potential: 'medium',
  },
  {
    slug: 'ekibastuz',
    population: 136_000,
    mainIndustry: 'coal',
    foundingEnterprise: {
      kk: 'Көмір өндіру және электр станциялары',
      ru: 'Добыча угля и электростанции',
      en: 'Coal mining and power stations',
    },
    potential: 'high',
  },
  {
    slug: 'karatau',
    population: 29_000,
    mainIndustry: 'phosphates',
    foundingEnterprise: PHOSPHORITE_KARATAU,
    potential: 'medium',
  },
  {
    slug: 'karazhal',
    population: 17_000,
    mainIndustry: 'iron-ore',
    foundingEnterprise: {
      kk: 'Темір және марганец кендерін өндіру (Атасу кен ауданы)',
      ru: 'Добыча железных и марганцевых руд (Атасуский рудный район)',
      en: 'Iron and manganese ore mining (Atasu ore district)',
    },
    potential: 'medium',
  },
  {
    slug: 'kentau',
    population: 66_000,
    mainIndustry: 'polymetals',
    foundingEnterprise: {
      kk: 'Полиметалл кендерін өндіру (бұрынғы Ащысай комбинаты)',
      ru: 'Добыча полиметаллических руд (бывший Ачисайский комбинат)',
      en: 'Polymetallic ore mining (former Achisai combine)',
    },
    potential: 'medium',
  },
  {
    slug: 'khromtau',
    population: 25_000,
    mainIndustry: 'chromite',
    foundingEnterprise: {
      kk: 'Дон тау-кен байыту комбинаты (хромит)',
      ru: 'Донской горно-обогатительный комбинат (хромиты)',
      en: 'Donskoy mining and processing plant (chromite)',
    },
    potential: 'medium',
  },
  {
    slug: 'kulsary',
    population: 60_000,
    mainIndustry: 'oil-gas',
    foundingEnterprise: {
      kk: 'Мұнай өндіру (Теңіз және Ембі кен орындары)',
      ru: 'Нефтедобыча (Тенгиз и месторождения Эмбы)',
      en: 'Oil production (Tengiz and Emba fields)',
    },
    potential: 'medium',
  },
  {
    slug: 'kurchatov',
    population: 12_000,
    mainIndustry: 'nuclear-research',
    foundingEnterprise: {
      kk: 'Ұлттық ядролық орталық (бұрынғы Семей сынақ полигоны)',
      ru: 'Национальный ядерный центр (бывший Семипалатинский полигон)',
      en: 'National Nuclear Centre (former Semipalatinsk test site)',
    },
    potential: 'medium',
  },
  {
    slug: 'lisakovsk',
    population: 36_000,
    mainIndustry: 'iron-ore',
    foundingEnterprise: {
      kk: 'Темір кенін өндіру және байыту (Лисаков кен орны)',
      ru: 'Добыча и обогащение железной руды (Лисаковское месторождение)',
      en: 'Iron ore mining and processing (Lisakovsk deposit)',
    },
    potential: 'medium',
  },
  {
    slug: 'ridder',
    population: 49_000,
    mainIndustry: 'polymetals',
    foundingEnterprise: {
      kk: '«Қазмырыш» полиметалл өндірісі және металлургиясы',
      ru: 'Добыча полиметаллов и металлургия «Казцинк»',
      en: 'Kazzinc polymetallic mining and smelting',
    },
    potential: 'high',
  },
  {
    slug: 'rudny',
    population: 116_000,
    mainIndustry: 'iron-ore',
    foundingEnterprise: {
      kk: 'Соколов-Сарыбай тау-кен байыту бірлестігі (темір кені)',
      ru: 'Соколовско-Сарбайский горно-обогатительный комбинат (железная руда)',
      en: 'Sokolov-Sarybai mining and processing plant (iron ore)',
    },
    potential: 'high',
  },
  {
    slug: 'saran',
    population: 43_000,
    mainIndustry: 'coal',
    foundingEnterprise: COAL_KARAGANDA,
    potential: 'medium',
  },
  {
    slug: 'satpayev',
    population: 62_000,
    mainIndustry: 'copper',
    foundingEnterprise: {
      kk: 'Мыс өндіру (Жезқазған кен орны, Қазақмыс)',
      ru: 'Добыча меди (Жезказганское месторождение, Казахмыс)',
      en: 'Copper mining (Zhezkazgan deposit, Kazakhmys)',
    },
    potential: 'medium',
  },
  {
    slug: 'serebryansk',
    population: 9_000,
    mainIndustry: 'hydropower',
    foundingEnterprise: {
      kk: 'Бұқтырма су электр станциясы',
      ru: 'Бухтарминская ГЭС',
      en: 'Bukhtarma hydroelectric power station',
    },
    potential: 'medium',
  },
  {
    slug: 'shakhtinsk',
    population: 37_000,
    mainIndustry: 'coal',
    foundingEnterprise: COAL_KARAGANDA,
    potential: 'medium',
  },
  {
    slug: 'shu',
    population: 36_000,
    mainIndustry: 'railway',
    foundingEnterprise: {
      kk: 'Теміржол торабы және көлік қызметтері',
      ru: 'Железнодорожный узел и транспортные услуги',
      en: 'Railway junction and transport services',
    },
    potential: 'medium',
  },
  {
    slug: 'stepnogorsk',
    population: 47_000,
    mainIndustry: 'uranium',
    foundingEnterprise: {
      kk: 'Степногорск тау-кен химия комбинаты (уран)',
      ru: 'Степногорский горно-химический комбинат (уран)',
      en: 'Stepnogorsk mining and chemical combine (uranium)',
    },
    potential: 'medium',
  },
  {
    slug: 'tekeli',
    population: 27_000,
    mainIndustry: 'polymetals',
    foundingEnterprise: {
      kk: 'Қорғасын және мырыш өндіру (бұрынғы Текелі комбинаты)',
      ru: 'Добыча свинца и цинка (бывший Текелийский комбинат)',
      en: 'Lead and zinc mining (former Tekeli combine)',
    },
    potential: 'medium',
  },
  {
    slug: 'temirtau',
    population: 183_000,
    mainIndustry: 'steel',
    foundingEnterprise: {
      kk: 'Qarmet металлургиялық комбинаты (бұрынғы «АрселорМиттал Теміртау»)',
      ru: 'Металлургический комбинат Qarmet (бывший «АрселорМиттал Темиртау»)',
      en: 'Qarmet steelworks (formerly ArcelorMittal Temirtau)',
    },
    potential: 'high',
  },
  {
    slug: 'zhanaozen',
    population: 150_000,
    mainIndustry: 'oil-gas',
    foundingEnterprise: {
      kk: '«Өзенмұнайгаз» мұнай өндіру',
      ru: 'Нефтедобыча «Озенмунайгаз»',
      en: 'Ozenmunaigas oil production',
    },
    potential: 'medium',
  },
  {
    slug: 'zhanatas',
    population: 21_000,
    mainIndustry: 'phosphates',
    foundingEnterprise: PHOSPHORITE_KARATAU,
    potential: 'low',
  },
  {
    slug: 'zhezkazgan',
    population: 90_000,
    mainIndustry: 'copper',
    foundingEnterprise: {
      kk: 'Мыс өндіру және балқыту (Қазақмыс)',
      ru: 'Добыча и выплавка меди (Казахмыс)',
      en: 'Copper mining and smelting (Kazakhmys)',
    },
    potential: 'medium',
  },
  {
    slug: 'zhitikara',
    population: 33_000,
    mainIndustry: 'asbestos',
    foundingEnterprise: {
      kk: 'Хризотил-асбест өндіру («Қостанай минералдары» АҚ)',
      ru: 'Добыча хризотил-асбеста (АО «Костанайские минералы»)',
      en: 'Chrysotile asbestos mining (Kostanay Minerals)',
    },
    potential: 'medium',
  },
  {
    slug: 'zyryanovsk',
    population: 37_000,
    mainIndustry: 'polymetals',
    foundingEnterprise: {
      kk: '«Қазмырыш» полиметалл өндірісі (Зыряновск кешені)',
      ru: 'Добыча полиметаллов «Казцинк» (Зыряновский комплекс)',
      en: 'Kazzinc polymetallic mining (Zyryanovsk complex)',
    },
    potential: 'medium',
  },
];

/**
 * The 27 monotowns of the national programme, in the taxonomy's order (alphabetical by
 * English name), each with its demo facts. A unit test checks that the two lists name
 * the same towns, so none is left out here silently.
 */
export const SEED_TOWNS: readonly SeedTown[] = TAXONOMIES.towns.flatMap((town) => {
  const facts = TOWN_DEMO_FACTS.find((candidate) => candidate.slug === town.id);
  return facts ? [{ ...facts, name: { kk: town.kk, ru: town.ru, en: town.en }, region: town.region }] : [];
});
