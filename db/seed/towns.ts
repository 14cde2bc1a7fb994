/*
 * Demo seed data: the 27 single-industry towns ("monotowns") of Kazakhstan's
 * national monotown programme, the founding members of the association.
 *
 * NOTE: population figures are approximate (around 2020, town proper, rounded
 * to the nearest 1,000) and are for demonstration only — do not cite them.
 * Regions follow the 2022 administrative reform (Abai, Ulytau, Zhetisu regions).
 * Economic-potential categories: OECD (2017), as cited in Junussova & Beimisheva,
 * "The transition of monotowns from the Soviet legacy to a market economy".
 */

/** Economic-potential category given to monotowns by the national monotown programme (OECD 2017). */
export type EconomicPotential = 'high' | 'medium' | 'low';

/** Slugs of the town-forming industries used by the seeded towns. */
export const INDUSTRY_SLUGS = [
  'asbestos',
  'bauxite',
  'chromite',
  'coal',
  'copper',
  'ferroalloys',
  'hydropower',
  'iron-ore',
  'nuclear-research',
  'oil-gas',
  'phosphates',
  'polymetals',
  'railway',
  'steel',
  'uranium',
] as const;

/** A region id from content/taxonomies/regions.json (a test checks every town's). */
type RegionSlug = string;

/** An industry slug, one of INDUSTRY_SLUGS. */
type IndustrySlug = (typeof INDUSTRY_SLUGS)[number];

/** A string given in Kazakh, Russian and English. */
type Localized = { kk: string; ru: string; en: string };

/** One founding member town, as seeded into the demo database. */
export interface SeedTown {
  /** Lowercase latin, hyphens, e.g. 'temirtau'. */
  slug: string;
  name: Localized;
  /** Region id, from content/taxonomies/regions.json. */
  region: RegionSlug;
  /** Approximate, rounded to the nearest 1,000. */
  population: number;
  /** Industry slug, one of INDUSTRY_SLUGS. */
  mainIndustry: IndustrySlug;
  /** The town-forming enterprise or industry, short. */
  foundingEnterprise: Localized;
  potential: EconomicPotential;
}

/** Display names of industries in kk/ru/en, keyed by slug. */
export const INDUSTRIES: Record<(typeof INDUSTRY_SLUGS)[number], { kk: string; ru: string; en: string }> = {
  asbestos: { kk: 'Асбест өндіру', ru: 'Добыча асбеста', en: 'Asbestos mining' },
  bauxite: { kk: 'Боксит өндіру', ru: 'Добыча бокситов', en: 'Bauxite mining' },
  chromite: { kk: 'Хромит кенін өндіру', ru: 'Добыча хромитовой руды', en: 'Chromite mining' },
  coal: { kk: 'Көмір өндіру', ru: 'Добыча угля', en: 'Coal mining' },
  copper: { kk: 'Мыс өнеркәсібі', ru: 'Медная промышленность', en: 'Copper industry' },
  ferroalloys: { kk: 'Ферроқорытпа өндірісі', ru: 'Производство ферросплавов', en: 'Ferroalloys' },
  hydropower: { kk: 'Гидроэнергетика', ru: 'Гидроэнергетика', en: 'Hydropower' },
  'iron-ore': { kk: 'Темір кенін өндіру', ru: 'Добыча железной руды', en: 'Iron ore mining' },
  'nuclear-research': { kk: 'Ядролық зерттеулер', ru: 'Ядерные исследования', en: 'Nuclear research' },
  'oil-gas': { kk: 'Мұнай-газ өнеркәсібі', ru: 'Нефтегазовая промышленность', en: 'Oil and gas' },
  phosphates: { kk: 'Фосфорит өндіру', ru: 'Добыча фосфоритов', en: 'Phosphate mining' },
  polymetals: { kk: 'Полиметалл кендерін өндіру', ru: 'Добыча полиметаллов', en: 'Polymetallic mining' },
  railway: { kk: 'Теміржол көлігі', ru: 'Железнодорожный транспорт', en: 'Railway transport' },
  steel: { kk: 'Қара металлургия (болат)', ru: 'Чёрная металлургия (сталь)', en: 'Steel' },
  uranium: { kk: 'Уран өндіру және өңдеу', ru: 'Добыча и переработка урана', en: 'Uranium mining and processing' },
};

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

/** The 27 monotowns of the national programme, ordered alphabetically by English name. */
export const SEED_TOWNS: readonly SeedTown[] = [
  {
    slug: 'aksai',
    name: { kk: 'Ақсай', ru: 'Аксай', en: 'Aksai' },
    region: 'west-kazakhstan',
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
    name: { kk: 'Ақсу', ru: 'Аксу', en: 'Aksu' },
    region: 'pavlodar',
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
    name: { kk: 'Арқалық', ru: 'Аркалык', en: 'Arkalyk' },
    region: 'kostanay',
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
    name: { kk: 'Балқаш', ru: 'Балхаш', en: 'Balkhash' },
    region: 'karaganda',
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
    name: { kk: 'Екібастұз', ru: 'Экибастуз', en: 'Ekibastuz' },
    region: 'pavlodar',
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
    name: { kk: 'Қаратау', ru: 'Каратау', en: 'Karatau' },
    region: 'zhambyl',
    population: 29_000,
    mainIndustry: 'phosphates',
    foundingEnterprise: PHOSPHORITE_KARATAU,
    potential: 'medium',
  },
  {
    slug: 'karazhal',
    name: { kk: 'Қаражал', ru: 'Каражал', en: 'Karazhal' },
    region: 'ulytau',
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
    name: { kk: 'Кентау', ru: 'Кентау', en: 'Kentau' },
    region: 'turkistan',
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
    name: { kk: 'Хромтау', ru: 'Хромтау', en: 'Khromtau' },
    region: 'aktobe',
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
    name: { kk: 'Құлсары', ru: 'Кульсары', en: 'Kulsary' },
    region: 'atyrau',
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
    name: { kk: 'Курчатов', ru: 'Курчатов', en: 'Kurchatov' },
    region: 'abai',
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
    name: { kk: 'Лисаков', ru: 'Лисаковск', en: 'Lisakovsk' },
    region: 'kostanay',
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
    name: { kk: 'Риддер', ru: 'Риддер', en: 'Ridder' },
    region: 'east-kazakhstan',
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
    name: { kk: 'Рудный', ru: 'Рудный', en: 'Rudny' },
    region: 'kostanay',
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
    name: { kk: 'Саран', ru: 'Сарань', en: 'Saran' },
    region: 'karaganda',
    population: 43_000,
    mainIndustry: 'coal',
    foundingEnterprise: COAL_KARAGANDA,
    potential: 'medium',
  },
  {
    slug: 'satpayev',
    name: { kk: 'Сәтбаев', ru: 'Сатпаев', en: 'Satpayev' },
    region: 'ulytau',
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
    name: { kk: 'Серебрянск', ru: 'Серебрянск', en: 'Serebryansk' },
    region: 'east-kazakhstan',
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
    name: { kk: 'Шахтинск', ru: 'Шахтинск', en: 'Shakhtinsk' },
    region: 'karaganda',
    population: 37_000,
    mainIndustry: 'coal',
    foundingEnterprise: COAL_KARAGANDA,
    potential: 'medium',
  },
  {
    slug: 'shu',
    name: { kk: 'Шу', ru: 'Шу', en: 'Shu' },
    region: 'zhambyl',
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
    name: { kk: 'Степногорск', ru: 'Степногорск', en: 'Stepnogorsk' },
    region: 'akmola',
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
    name: { kk: 'Текелі', ru: 'Текели', en: 'Tekeli' },
    region: 'zhetisu',
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
    name: { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' },
    region: 'karaganda',
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
    name: { kk: 'Жаңаөзен', ru: 'Жанаозен', en: 'Zhanaozen' },
    region: 'mangystau',
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
    name: { kk: 'Жаңатас', ru: 'Жанатас', en: 'Zhanatas' },
    region: 'zhambyl',
    population: 21_000,
    mainIndustry: 'phosphates',
    foundingEnterprise: PHOSPHORITE_KARATAU,
    potential: 'low',
  },
  {
    slug: 'zhezkazgan',
    name: { kk: 'Жезқазған', ru: 'Жезказган', en: 'Zhezkazgan' },
    region: 'ulytau',
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
    name: { kk: 'Жітіқара', ru: 'Житикара', en: 'Zhitikara' },
    region: 'kostanay',
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
    name: { kk: 'Зыряновск (Алтай)', ru: 'Зыряновск (Алтай)', en: 'Zyryanovsk (Altai)' },
    region: 'east-kazakhstan',
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
