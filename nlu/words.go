package nlu

import (
	"math"
	"strconv"
	"strings"
)

// The words of the system entities in each language: yes and no, and the
// numbers written as words. English has its own number parser (number.go,
// with ordinals); the other languages share the one below, driven by a
// lexicon per language.

// langWords are the words of one language.
type langWords struct {
	yes, no   phraseList
	leading   phraseList            // yes phrases read only at the start of a message: Sesotho "e"
	negators  map[string]bool       // a negator before a yes phrase makes it a no
	linkers   map[string]bool       // a word between a yes and the no that negates it: "que" in "claro que no"
	numbers   map[string]numberWord // folded word → meaning; nil: English's parser
	connector map[string]bool       // "und", "et", "y": joins parts of a number
	compound  bool                  // numbers are written as one word ("einundzwanzig")
	whole     bool                  // each number under 100 is one word of its own (Hindi "पच्चीस", 25)
	longest   int                   // longest number word, in bytes
	// determiners: when set, an ordinal is read only after one of them
	// ("el segundo", not "un segundo", a second) or as a whole message,
	// as the language's ordinals are other words too.
	determiners map[string]bool
	notNumbers  phraseList // phrases whose number words are other words: "quoi de neuf"
	suffixes    []string   // suffixes of ordinals in digits, folded: "eme" in "2ème"
	sino        bool       // the lexicon has multipliers (numMul): a unit follows no unit ("五三" is no 8)
	// inWords: the language is written without spaces between words
	// (Chinese, Japanese, Thai), so its number words and its yes and no
	// are read inside the words of a text (see splitNumberWords and
	// splitYesNo).
	inWords bool
	// notWords are the words, read inside the words of an inWords
	// language, whose number characters are no number: Chinese "一下"
	// (a moment), Japanese "一緒" (together).
	notWords map[string]bool
	// counters are the words that count what a number counts (Korean
	// "잔", cups; Thai "แก้ว", glasses): a counted number word (Korean
	// "네", four and yes) is a number only before one, and in Thai a
	// number inside a word is one only before one or at the word's end.
	counters map[string]bool
	// particles are the endings a number word or a counter takes inside
	// a word (Korean "하나요", "둘이서", "잔이요").
	particles map[string]bool
	// countedAfter: a number inside a word is read only at the word's end
	// or before a counter (Thai, whose number words are syllables of
	// other words: "สามารถ", can, holds "สาม", three).
	countedAfter bool
	// fillers and openers drive splitYesNo (inWords languages): a filler
	// is a word that may stand beside a yes or no in one word ("了",
	// "です"), an opener a yes or no phrase read at the start of a word
	// whatever follows ("好的我要两杯").
	fillers  map[string]bool
	openers  map[string]bool
	maxPiece int // the longest yes or no word, negator, filler, notWord or counter, in bytes
}

// A numberWord is the meaning of a word in a number.
type numberWord struct {
	kind  byte // numAdd, numHundred, numScale, numTens
	value float64
	// company: the word is a number only next to another number word,
	// as Serbian "sto", which is also a table: "sto dvadeset" is 120,
	// "sto" alone no number.
	company bool
	// spelled: the word is read only as the lexicon spells it, not from a
	// word its accents fold onto it: Serbian "što" (what) is not "sto".
	spelled bool
	// ordinal: the word is an ordinal ("zweite", "deuxième") and ends
	// the number.
	ordinal bool
	// verb: the word is also a verb, and no number when it ends a clause
	// it does not start: Hindi "दो", two and give!
	verb bool
	// counted: the word is a number only before a counter (see
	// langWords.counters) or next to another number word: Korean "네",
	// four and yes, in "네 잔" (four cups).
	counted bool
	// noun: the word is also a noun counted by numbers, and no number
	// right after one or before digits: Vietnamese "năm", five and year,
	// in "hai năm" (two years) and "năm 2024".
	noun bool
}

const (
	numAdd      = 0   // adds its value: "drei", "zwanzig", "doscientos"
	numHundred  = 'h' // multiplies what precedes it: "zwei hundert"
	numScale    = 's' // closes a group: "drei tausend", "deux millions"
	numTens     = 't' // multiplies the last unit by 10: Finnish "kaksi|kymmentä", Indonesian "dua puluh"
	numTeen     = 'f' // adds its value after a unit: Finnish "yksi|toista", Indonesian "dua belas"
	numLead     = 'l' // adds its value, but only before a hundred or a scale: Nepali "छ सय" (600), as "छ" is also "is"
	numFraction = 'q' // adds its value to the next unit or hundred: Hindi "साढ़े तीन" (3.5), "सवा सौ" (125)
	numMul      = 'm' // multiplies the unit before it, or is its value: Chinese "五十" (50), "十五" (15), "三百" (300)
	numTen      = 'd' // adds its value after a unit, or is its value: Hebrew "חמש עשרה" (15), "עשר" (10)
)

// words returns the words of lang, English's when it has none of its own.
func words(lang string) *langWords {
	if w, ok := languageWords[LanguageName(lang)]; ok {
		return w
	}
	return languageWords["english"]
}

// Languages with words of their own: yes and no, and numbers when they
// have a lexicon (those without read numbers with English's parser); the
// languages not here read English's words.
var languageWords = map[string]*langWords{
	"english": newWords(yesPhrases, noPhrases, []string{"not", "don't", "dont", "never", "hardly"}, "", "", false),
	"german": newWords(
		[]string{"ja", "jawohl", "jep", "jo", "klar", "sicher", "natürlich", "genau", "gerne", "gern", "ok", "okay", "einverstanden", "richtig", "stimmt", "auf jeden fall", "in ordnung", "na klar", "kein problem", "passt", "doch", "selbstverständlich", "alles klar", "geht klar", "logo", "jup", "jap", "sehr gerne", "mach ich", "👍"},
		[]string{"nein", "nee", "nö", "ne", "nicht", "niemals", "nie", "auf keinen fall", "keineswegs", "nein danke", "lieber nicht", "nicht wirklich", "nö danke", "auf gar keinen fall", "keine lust", "kein bedarf", "👎"},
		[]string{"nicht", "nie"},
		"null 0 eins 1 ein 1 eine 1 zwei 2 zwo 2 drei 3 vier 4 fünf 5 sechs 6 sieben 7 acht 8 neun 9 zehn 10 elf 11 zwölf 12 dreizehn 13 "+
			"vierzehn 14 fünfzehn 15 sechzehn 16 siebzehn 17 achtzehn 18 neunzehn 19 "+
			"zwanzig 20 dreißig 30 vierzig 40 fünfzig 50 sechzig 60 siebzig 70 achtzig 80 neunzig 90 "+
			"hundert h100 tausend s1000 million s1e6 millionen s1e6 milliarde s1e9 milliarden s1e9 einen 1 einem 1 einer 1 eines 1 "+
			"einhalb 0.5 eineinhalb 1.5 anderthalb 1.5 zu_zweit 2 zu_dritt 3 zu_viert 4 zu_fünft 5 zu_sechst 6 zu_siebt 7 zu_acht 8"+
			ordinals("e er en es em", "erst 1 zweit 2 dritt 3 viert 4 fünft 5 sechst 6 siebt 7 siebent 7 acht 8 neunt 9 zehnt 10 elft 11 "+
				"zwölft 12 dreizehnt 13 vierzehnt 14 fünfzehnt 15 sechzehnt 16 siebzehnt 17 achtzehnt 18 neunzehnt 19 zwanzigst 20 "+
				"dreißigst 30 vierzigst 40 fünfzigst 50 sechzigst 60 siebzigst 70 achtzigst 80 neunzigst 90 hundertst h100 tausendst s1000"),
		"und", true).notIn("ein paar", "ein bisschen", "ein bißchen", "einen moment", "ein moment", "einen augenblick",
		"achten sie", "achten auf", "achte auf", "acht geben"),
	"french": newWords(
		[]string{"oui", "ouais", "ouep", "bien sûr", "d'accord", "ok", "okay", "certainement", "absolument", "exactement", "volontiers", "carrément", "tout à fait", "c'est ça", "bien entendu", "pourquoi pas", "pas de problème", "pas de souci", "pas de soucis", "sans problème", "aucun problème", "ça marche", "ça me va", "avec plaisir", "évidemment", "bien sûr que oui", "yes", "👍"},
		[]string{"non", "nan", "pas du tout", "jamais", "non merci", "certainement pas", "pas vraiment", "pas", "pas question", "hors de question", "non non", "sûrement pas", "surtout pas", "👎"},
		[]string{"pas"},
		"zéro 0 un 1 une 1 deux 2 trois 3 quatre 4 cinq 5 six 6 sept 7 huit 8 neuf 9 dix 10 onze 11 douze 12 treize 13 quatorze 14 quinze 15 seize 16 "+
			"vingt 20 vingts 20 trente 30 quarante 40 cinquante 50 soixante 60 septante 70 huitante 80 octante 80 nonante 90 "+
			"quatre_vingt 80 quatre_vingts 80 cent h100 cents h100 mille s1000 million s1e6 millions s1e6 milliard s1e9 milliards s1e9 "+
			"unième ~#1 quatre_vingtième #80"+
			ordinals("- s", "premier 1 première 1 deuxième 2 troisième 3 quatrième 4 cinquième 5 sixième 6 septième 7 huitième 8 "+
				"neuvième 9 dixième 10 onzième 11 douzième 12 treizième 13 quatorzième 14 quinzième 15 seizième 16 vingtième 20 "+
				"trentième 30 quarantième 40 cinquantième 50 soixantième 60 septantième 70 huitantième 80 nonantième 90 "+
				"centième h100 millième s1000"),
		"et", false).linked("que").digitOrdinals("er", "re", "ère", "e", "ème", "è", "nd", "nde").
		notIn("quoi de neuf", "rien de neuf", "quelque chose de neuf", "tout neuf", "flambant neuf", "du neuf", "comme neuf",
			"à l'état neuf", "remis à neuf", "remise à neuf", "refait à neuf", "un peu", "un moment", "un instant", "une seconde"),
	"spanish": newWords(
		[]string{"sí", "si", "claro", "vale", "de acuerdo", "por supuesto", "ok", "okay", "correcto", "exacto", "desde luego", "cierto", "dale", "claro que sí", "sip", "sin problema", "no hay problema", "perfecto", "por supuesto que sí", "con gusto", "de una", "👍"},
		[]string{"no", "nunca", "para nada", "de ninguna manera", "no gracias", "jamás", "tampoco", "nop", "ni hablar", "ni de broma", "ni loco", "👎"},
		[]string{"no", "nunca"},
		"cero 0 uno 1 un 1 una 1 dos 2 tres 3 cuatro 4 cinco 5 seis 6 siete 7 ocho 8 nueve 9 diez 10 once 11 doce 12 trece 13 catorce 14 quince 15 "+
			"dieci 10 veinte 20 veinti 20 treinta 30 cuarenta 40 cincuenta 50 sesenta 60 setenta 70 ochenta 80 noventa 90 "+
			"cien 100 ciento 100 doscientos 200 doscientas 200 trescientos 300 trescientas 300 cuatrocientos 400 cuatrocientas 400 quinientos 500 quinientas 500 "+
			"seiscientos 600 seiscientas 600 setecientos 700 setecientas 700 ochocientos 800 ochocientas 800 novecientos 900 novecientas 900 "+
			"mil s1000 millón s1e6 millones s1e6 primer #1 tercer #3 cuarta #4 cuartas #4"+
			ordinals("o a os as", "primer 1 segund 2 tercer 3 quint 5 sext 6 séptim 7 sétim 7 octav 8 noven 9 décim 10 "+
				"undécim 11 duodécim 12 vigésim 20 trigésim 30 cuadragésim 40 quincuagésim 50 sexagésim 60 septuagésim 70 "+
				"octogésim 80 nonagésim 90 centésim h100 milésim s1000 "+
				// "cuarto" (fourth, a room) is read only after a ten:
				// "decimocuarto", "décimo cuarto" (14).
				"decimocuart 14 décimo_cuart 14 décima_cuart 14 vigesimocuart 24 vigésimo_cuart 24 vigésima_cuart 24 "+
				"trigesimocuart 34 trigésimo_cuart 34 trigésima_cuart 34 decimoctav 18 decimonon 19"),
		"y", true).linked("que").digitOrdinals("o", "a", "os", "as", "er", "ro", "ra", "do", "da", "to", "ta", "mo", "ma", "vo", "va", "no", "na").
		ordinalsAfter("el la los las lo al del este esta estos estas ese esa aquel aquella mi mis tu su").
		notIn("un poco", "un poquito", "un momento", "un momentito", "un rato", "un segundo", "un segundito"),
	"italian": newWords(
		[]string{"sì", "si", "certo", "certamente", "va bene", "d'accordo", "ok", "okay", "esatto", "giusto", "volentieri", "assolutamente", "ovviamente", "certo che sì", "perfetto", "ci sta", "senz'altro", "come no", "nessun problema", "non c'è problema", "sicuro", "sì sì", "👍"},
		[]string{"no", "mai", "per niente", "no grazie", "affatto", "assolutamente no", "non", "neanche per sogno", "macché", "niente affatto", "no no", "nemmeno", "👎"},
		[]string{"non"},
		"zero 0 uno 1 una 1 un 1 due 2 tre 3 quattro 4 cinque 5 sei 6 sette 7 otto 8 nove 9 dieci 10 undici 11 dodici 12 tredici 13 quattordici 14 "+
			"quindici 15 sedici 16 diciassette 17 diciotto 18 diciannove 19 venti 20 vent 20 trenta 30 trent 30 quaranta 40 quarant 40 "+
			"cinquanta 50 cinquant 50 sessanta 60 sessant 60 settanta 70 settant 70 ottanta 80 ottant 80 novanta 90 novant 90 "+
			"cento h100 cent h100 mille s1000 mila s1000 milione s1e6 milioni s1e6"+
			ordinals("o a i e", "prim 1 second 2 terz 3 quart 4 quint 5 sest 6 settim 7 ottav 8 non 9 decim 10 undicesim 11 "+
				"dodicesim 12 tredicesim 13 quattordicesim 14 quindicesim 15 sedicesim 16 diciassettesim 17 diciottesim 18 "+
				"diciannovesim 19 ventesim 20 trentesim 30 quarantesim 40 cinquantesim 50 sessantesim 60 settantesim 70 "+
				"ottantesim 80 novantesim 90 centesim h100 millesim s1000 "+
				// The units that end a compound ordinal: "ventunesimo" (21),
				// "trentaduesimo" (32), "ventitreesimo" (23).
				"unesim 1 duesim 2 treesim 3 quattresim 4 cinquesim 5 seiesim 6 settesim 7 ottesim 8 novesim 9"),
		"e", true).linked("che").digitOrdinals("o", "a", "i", "e").
		ordinalsAfter("il lo la i gli le l' al allo alla ai agli alle all' del dello della dei degli delle dell' nel nello nella "+
			"nei negli nelle nell' sul sullo sulla dal dallo dalla dall' questo questa quel quello quella mio mia tuo tua").
		notIn("chi sei", "dove sei", "ci sei", "come sei", "tu sei", "non sei", "se sei", "che sei", "sei sicuro", "sei sicura",
			"sei un", "sei una", "sei tu", "sei ancora", "sei qui", "sei lì", "sei stato", "sei stata", "sei già", "sei davvero",
			"sei aperto", "sei aperta", "sei aperti", "sei disponibile", "sei umano", "sei reale", "sei libero", "sei libera",
			"sei bravo", "sei brava", "sei pronto", "sei pronta", "sei proprio", "sei molto", "sei troppo", "sei sempre",
			"un po", "un attimo", "un momento", "un secondo", "un pochino"),
	"portuguese": newWords(
		[]string{"sim", "claro", "com certeza", "ok", "okay", "certo", "exato", "exatamente", "pode ser", "tá", "beleza", "isso", "está bem", "tudo bem", "sem problema", "sem problemas", "não tem problema", "claro que sim", "isso mesmo", "perfeito", "fechado", "bora", "uhum", "aham", "👍"},
		[]string{"não", "nunca", "de jeito nenhum", "não obrigado", "não obrigada", "nem pensar", "claro que não", "negativo", "de forma alguma", "jamais", "não valeu", "👎"},
		[]string{"não"},
		"zero 0 um 1 uma 1 dois 2 duas 2 três 3 quatro 4 cinco 5 seis 6 sete 7 oito 8 nove 9 dez 10 onze 11 doze 12 treze 13 catorze 14 quatorze 14 quinze 15 "+
			"dezesseis 16 dezasseis 16 dezessete 17 dezassete 17 dezoito 18 dezenove 19 dezanove 19 vinte 20 trinta 30 quarenta 40 cinquenta 50 "+
			"sessenta 60 setenta 70 oitenta 80 noventa 90 cem 100 cento 100 duzentos 200 duzentas 200 trezentos 300 trezentas 300 "+
			"quatrocentos 400 quatrocentas 400 quinhentos 500 quinhentas 500 seiscentos 600 seiscentas 600 setecentos 700 setecentas 700 "+
			"oitocentos 800 oitocentas 800 novecentos 900 novecentas 900 mil s1000 milhão s1e6 milhões s1e6 "+
			// "segunda" to "sexta" are weekdays too, "quarto" a room.
			"segundo #2 segundos #2 quinto #5 quintos #5 sexto #6 sextos #6"+
			ordinals("o a os as", "primeir 1 terceir 3 sétim 7 oitav 8 non 9 décim 10 vigésim 20 trigésim 30"),
		"e", false).linked("que").digitOrdinals("o", "a", "os", "as").
		ordinalsAfter("o a os as ao à aos às do da dos das no na nos nas pelo pela este esta esse essa aquele aquela meu minha seu sua").
		notIn("um pouco", "um pouquinho", "um momento", "um momentinho", "um minutinho", "um segundo", "um instante"),
	"dutch": newWords(
		[]string{"ja", "jazeker", "zeker", "natuurlijk", "prima", "goed", "oké", "ok", "okay", "akkoord", "klopt", "tuurlijk", "graag", "zeker weten", "uiteraard", "is goed", "geen probleem", "doe maar", "ja hoor", "yes", "👍"},
		[]string{"nee", "neen", "nooit", "niet", "nee dank je", "nee bedankt", "helemaal niet", "echt niet", "nee hoor", "liever niet", "geen interesse", "nope", "👎"},
		[]string{"niet", "nooit"},
		"nul 0 een 1 één 1 twee 2 drie 3 vier 4 vijf 5 zes 6 zeven 7 acht 8 negen 9 tien 10 elf 11 twaalf 12 dertien 13 veertien 14 vijftien 15 "+
			"zestien 16 zeventien 17 achttien 18 negentien 19 twintig 20 dertig 30 veertig 40 vijftig 50 zestig 60 zeventig 70 tachtig 80 negentig 90 "+
			"honderd h100 duizend s1000 miljoen s1e6 miljard s1e9"+
			ordinals("-", "eerste 1 tweede 2 derde 3 vierde 4 vijfde 5 zesde 6 zevende 7 achtste 8 negende 9 tiende 10 elfde 11 "+
				"twaalfde 12 dertiende 13 veertiende 14 vijftiende 15 zestiende 16 zeventiende 17 achttiende 18 negentiende 19 "+
				"twintigste 20 dertigste 30 veertigste 40 vijftigste 50 zestigste 60 zeventigste 70 tachtigste 80 negentigste 90 "+
				"honderdste h100 duizendste s1000"),
		"en", true).digitOrdinals("e", "de", "ste").notIn("een beetje", "een paar", "een moment", "een momentje", "een ogenblik", "een ogenblikje"),
	"danish": newWords(
		[]string{"ja", "jo", "jep", "selvfølgelig", "sikkert", "okay", "ok", "fint", "gerne", "klart", "korrekt", "rigtigt", "bestemt", "absolut", "ingen problemer", "intet problem", "det er fint", "ja tak", "yes", "👍"},
		[]string{"nej", "nej tak", "aldrig", "ikke", "overhovedet ikke", "nej nej", "nope", "absolut ikke", "👎"},
		[]string{"ikke", "aldrig"},
		"nul 0 en 1 et 1 to 2 tre 3 fire 4 fem 5 seks 6 syv 7 otte 8 ni 9 ti 10 elleve 11 tolv 12 tretten 13 fjorten 14 femten 15 seksten 16 "+
			"sytten 17 atten 18 nitten 19 tyve 20 tredive 30 fyrre 40 fyrretyve 40 halvtreds 50 tres 60 halvfjerds 70 firs 80 halvfems 90 "+
			"hundrede h100 hundred h100 tusind s1000 tusinde s1000 million s1e6 millioner s1e6",
		"og", true).notIn("et øjeblik", "en smule"),
	"norwegian": newWords(
		[]string{"ja", "jo", "jepp", "selvfølgelig", "sikkert", "ok", "okay", "greit", "gjerne", "klart", "riktig", "stemmer", "absolutt", "selvsagt", "ingen problem", "det går bra", "ja takk", "yes", "👍"},
		[]string{"nei", "nei takk", "aldri", "ikke", "slett ikke", "nei nei", "nope", "👎"},
		[]string{"ikke", "aldri"},
		"null 0 en 1 ett 1 et 1 ei 1 to 2 tre 3 fire 4 fem 5 seks 6 sju 7 syv 7 åtte 8 ni 9 ti 10 elleve 11 tolv 12 tretten 13 fjorten 14 femten 15 "+
			"seksten 16 sytten 17 atten 18 nitten 19 tjue 20 tyve 20 tretti 30 førti 40 femti 50 seksti 60 sytti 70 åtti 80 nitti 90 "+
			"hundre h100 tusen s1000 ettusen s1000 million s1e6 millioner s1e6",
		"og", true).notIn("et øyeblikk", "et lite øyeblikk"),
	"swedish": newWords(
		[]string{"ja", "jo", "japp", "visst", "javisst", "absolut", "självklart", "okej", "ok", "okay", "gärna", "klart", "precis", "stämmer", "inga problem", "såklart", "ja tack", "yes", "kör", "👍"},
		[]string{"nej", "nej tack", "aldrig", "inte", "inte alls", "nä", "nää", "nej nej", "nope", "absolut inte", "👎"},
		[]string{"inte", "aldrig"},
		"noll 0 en 1 ett 1 två 2 tre 3 fyra 4 fem 5 sex 6 sju 7 åtta 8 nio 9 tio 10 elva 11 tolv 12 tretton 13 fjorton 14 femton 15 sexton 16 "+
			"sjutton 17 arton 18 nitton 19 tjugo 20 trettio 30 fyrtio 40 femtio 50 sextio 60 sjuttio 70 åttio 80 nittio 90 "+
			"hundra h100 tusen s1000 ettusen s1000 miljon s1e6 miljoner s1e6",
		"och", true).notIn("ett ögonblick", "en stund"),
	"finnish": newWords(
		[]string{"kyllä", "joo", "juu", "jep", "ok", "okei", "selvä", "totta kai", "tietysti", "ilman muuta", "toki", "mielellään", "käy", "käy hyvin", "sopii", "tietenkin", "ei ongelmaa", "kyllä kiitos", "joo kiitos", "👍"},
		[]string{"ei", "ei kiitos", "en", "ei koskaan", "ei todellakaan", "eipä", "en halua", "ei tarvitse", "ei käy", "👎"},
		[]string{"ei", "en"},
		"nolla 0 yksi 1 kaksi 2 kolme 3 neljä 4 viisi 5 kuusi 6 seitsemän 7 kahdeksan 8 yhdeksän 9 kymmenen 10 toista f10 kymmentä t10 "+
			"sata h100 sataa h100 tuhat s1000 tuhatta s1000 miljoona s1e6 miljoonaa s1e6",
		"", true),
	"russian": newWords(
		[]string{"да", "ага", "конечно", "хорошо", "ладно", "ок", "окей", "давай", "верно", "точно", "разумеется", "угу", "ну да", "естественно", "безусловно", "с удовольствием", "без проблем", "нет проблем", "да, конечно", "👍"},
		[]string{"нет", "неа", "никогда", "нет спасибо", "ни за что", "не", "нисколько", "ни в коем случае", "не надо", "не хочу", "конечно нет", "👎"},
		[]string{"не"},
		"ноль 0 один 1 одна 1 одно 1 два 2 две 2 три 3 четыре 4 пять 5 шесть 6 семь 7 восемь 8 девять 9 десять 10 одиннадцать 11 двенадцать 12 "+
			"тринадцать 13 четырнадцать 14 пятнадцать 15 шестнадцать 16 семнадцать 17 восемнадцать 18 девятнадцать 19 двадцать 20 тридцать 30 "+
			"сорок 40 пятьдесят 50 шестьдесят 60 семьдесят 70 восемьдесят 80 девяносто 90 сто 100 двести 200 триста 300 четыреста 400 пятьсот 500 "+
			"шестьсот 600 семьсот 700 восемьсот 800 девятьсот 900 тысяча s1000 тысячи s1000 тысяч s1000 миллион s1e6 миллиона s1e6 миллионов s1e6 "+
			// The other cases of the small numbers ("одну пиццу", "двух"),
			// and the collective ones ("нас трое", "столик на двоих").
			"одну 1 одного 1 одной 1 двух 2 двум 2 трёх 3 трём 3 четырёх 4 пяти 5 шести 6 семи 7 восьми 8 девяти 9 десяти 10 "+
			"полтора 1.5 полторы 1.5 двое 2 трое 3 четверо 4 пятеро 5 шестеро 6 семеро 7 двоих 2 троих 3 четверых 4 пятерых 5 шестерых 6",
		"", false),
	"turkish": newWords(
		[]string{"evet", "tamam", "olur", "tabii", "tabi", "elbette", "kesinlikle", "peki", "ok", "okey", "tabii ki", "tabiki", "tabi ki", "aynen", "tamamdır", "sorun değil", "sorun yok", "memnuniyetle", "👍"},
		[]string{"hayır", "yok", "asla", "istemiyorum", "hayır teşekkürler", "olmaz", "istemem", "hayır sağ ol", "yok sağ ol", "yok teşekkürler", "gerek yok", "👎"},
		nil,
		"sıfır 0 bir 1 iki 2 üç 3 dört 4 beş 5 altı 6 yedi 7 sekiz 8 dokuz 9 on 10 yirmi 20 otuz 30 kırk 40 elli 50 altmış 60 yetmiş 70 "+
			"seksen 80 doksan 90 yüz h100 bin s1000 milyon s1e6 milyar s1e9",
		"", true).notIn("bir şey", "bir dakika", "bir saniye", "bir an"),
	"romanian": newWords(
		[]string{"da", "sigur", "desigur", "bine", "ok", "okay", "de acord", "firește", "exact", "corect", "bineînțeles", "sigur că da", "cu plăcere", "nicio problemă", "da, mersi", "👍"},
		[]string{"nu", "niciodată", "nu mulțumesc", "deloc", "nicidecum", "în niciun caz", "nu mersi", "sigur că nu", "👎"},
		[]string{"nu"},
		"zero 0 unu 1 una 1 doi 2 două 2 trei 3 patru 4 cinci 5 șase 6 șapte 7 opt 8 nouă 9 zece 10 unsprezece 11 doisprezece 12 douăsprezece 12 "+
			"treisprezece 13 paisprezece 14 cincisprezece 15 șaisprezece 16 șaptesprezece 17 optsprezece 18 nouăsprezece 19 douăzeci 20 treizeci 30 "+
			"patruzeci 40 cincizeci 50 șaizeci 60 șaptezeci 70 optzeci 80 nouăzeci 90 sută h100 sute h100 mie s1000 mii s1000 milion s1e6 milioane s1e6 "+
			// "un" is one and a; "o", one and a, is also her and a particle ("o să").
			"un 1 o ~1",
		"și", false).linked("că").notIn("un pic", "un moment"),
	"hungarian": newWords(
		[]string{"igen", "persze", "rendben", "oké", "ok", "jó", "természetesen", "hogyne", "biztos", "pontosan", "szívesen", "naná", "dehogynem", "persze hogy", "semmi gond", "nem probléma", "megfelel", "👍"},
		[]string{"nem", "soha", "nem köszönöm", "dehogy", "semmiképp", "nem kérem", "nem kell", "persze hogy nem", "👎"},
		[]string{"nem"},
		"nulla 0 egy 1 kettő 2 két 2 három 3 négy 4 öt 5 hat 6 hét 7 nyolc 8 kilenc 9 tíz 10 tizen 10 húsz 20 huszon 20 harminc 30 negyven 40 "+
			"ötven 50 hatvan 60 hetven 70 nyolcvan 80 kilencven 90 száz h100 ezer s1000 millió s1e6",
		"", true).linked("hogy").notIn("egy kicsit", "egy pillanat", "egy pillanatra",
		// "hét" is seven and week.
		"hét múlva", "hét alatt", "hét után", "hét végén", "a hét", "jövő hét", "múlt hét", "egész hét"),
	"greek": newWords(
		[]string{"ναι", "ναί", "μάλιστα", "βεβαίως", "βέβαια", "σίγουρα", "σιγουρα", "εντάξει", "ενταξει", "φυσικά", "φυσικα", "ακριβώς", "σωστά", "οκ", "ok", "okay", "κανένα πρόβλημα", "με χαρά", "👍"},
		[]string{"όχι", "οχι", "ποτέ", "ποτε", "όχι ευχαριστώ", "οχι ευχαριστω", "με τίποτα", "καθόλου", "δεν", "φυσικά όχι", "σίγουρα όχι", "όχι όχι", "👎"},
		[]string{"δεν", "όχι", "οχι"},
		"μηδέν 0 ένα 1 ένας 1 έναν 1 μία 1 μια 1 δύο 2 δυο 2 τρία 3 τρεις 3 τέσσερα 4 τέσσερις 4 πέντε 5 έξι 6 επτά 7 εφτά 7 "+
			"οκτώ 8 οχτώ 8 εννέα 9 εννιά 9 δέκα 10 έντεκα 11 ένδεκα 11 δώδεκα 12 δεκατρία 13 δεκατρείς 13 δεκατέσσερα 14 δεκατέσσερις 14 "+
			"δεκαπέντε 15 δεκαέξι 16 δεκάξι 16 δεκαεπτά 17 δεκαεφτά 17 δεκαοκτώ 18 δεκαοχτώ 18 δεκαεννέα 19 δεκαεννιά 19 "+
			"είκοσι 20 τριάντα 30 σαράντα 40 πενήντα 50 εξήντα 60 εβδομήντα 70 ογδόντα 80 ενενήντα 90 εκατό 100 εκατόν 100 "+
			"διακόσια 200 διακόσιοι 200 διακόσιες 200 τριακόσια 300 τριακόσιοι 300 τριακόσιες 300 τετρακόσια 400 τετρακόσιοι 400 τετρακόσιες 400 "+
			"πεντακόσια 500 πεντακόσιοι 500 πεντακόσιες 500 εξακόσια 600 εξακόσιοι 600 εξακόσιες 600 επτακόσια 700 εφτακόσια 700 "+
			"επτακόσιοι 700 επτακόσιες 700 οκτακόσια 800 οχτακόσια 800 οκτακόσιοι 800 οκτακόσιες 800 εννιακόσια 900 εννεακόσια 900 "+
			"εννιακόσιοι 900 εννιακόσιες 900 χίλια s1000 χίλιοι s1000 χίλιες s1000 χιλιάδες s1000 εκατομμύριο s1e6 εκατομμύρια s1e6",
		"", false),
	"catalan": newWords(
		[]string{"sí", "si", "és clar", "clar", "d'acord", "vale", "val", "ok", "okay", "per descomptat", "efectivament", "exacte", "segur", "i tant", "cap problema", "i tant que sí", "és clar que sí", "perfecte", "👍"},
		[]string{"no", "mai", "gens", "de cap manera", "no gràcies", "ni parlar-ne", "en absolut", "ni pensar-hi", "és clar que no", "👎"},
		[]string{"no", "mai"},
		"zero 0 u 1 un 1 una 1 dos 2 dues 2 tres 3 quatre 4 cinc 5 sis 6 set 7 vuit 8 huit 8 nou 9 deu 10 onze 11 dotze 12 tretze 13 "+
			"catorze 14 quinze 15 setze 16 disset 17 desset 17 divuit 18 devuit 18 dinou 19 denou 19 vint 20 trenta 30 quaranta 40 "+
			"cinquanta 50 seixanta 60 setanta 70 vuitanta 80 huitanta 80 noranta 90 cent h100 cents h100 centes h100 "+
			"mil s1000 milió s1e6 milions s1e6",
		"i", false).linked("que"),
	"indonesian": newWords(
		[]string{"ya", "iya", "yoi", "betul", "benar", "tentu", "tentu saja", "boleh", "oke", "ok", "okay", "baik", "baiklah", "setuju", "mau", "tidak masalah", "gak masalah", "nggak masalah", "siap", "oke deh", "👍"},
		[]string{"tidak", "tak", "nggak", "gak", "enggak", "ndak", "bukan", "jangan", "tidak usah", "tidak terima kasih", "tidak mau", "tidak pernah", "gak usah", "nggak usah", "enggak usah", "tidak perlu", "gak perlu", "nggak perlu", "👎"},
		[]string{"tidak", "tak", "nggak", "gak", "enggak", "ndak", "bukan"},
		"nol 0 kosong 0 satu 1 dua 2 tiga 3 empat 4 lima 5 enam 6 tujuh 7 delapan 8 sembilan 9 sepuluh 10 sebelas 11 belas f10 puluh t10 "+
			"seratus 100 ratus h100 seribu s1000 ribu s1000 sejuta s1e6 juta s1e6 semiliar s1e9 miliar s1e9",
		"", false),
	"arabic": newWords(
		[]string{"نعم", "أجل", "اجل", "بلى", "طبعا", "طبعاً", "أكيد", "اكيد", "بالتأكيد", "بالتاكيد", "حسنا", "حسناً", "موافق", "تمام", "ماشي",
			"أيوه", "ايوه", "أيوا", "ايوا", "صح", "صحيح", "ok", "👍"},
		[]string{"لا", "كلا", "لأ", "أبدا", "ابدا", "أبداً", "لا شكرا", "لا شكراً", "مستحيل", "غير موافق", "مش موافق", "لا أريد", "لا اريد", "👎"},
		[]string{"لا"},
		// Read with alef and hamza folded ("أربعة" is "اربعة"); "و" (and)
		// is written joined to the next word ("خمسة وعشرون", 25), so
		// numbers are compounds; the teens are two words ("ثلاثة عشر").
		"صفر 0 واحد 1 واحدة 1 اثنان 2 اثنين 2 اثنتان 2 اثنتين 2 ثلاثة 3 ثلاث 3 أربعة 4 أربع 4 خمسة 5 خمس 5 ستة 6 ست 6 "+
			"سبعة 7 سبع 7 ثمانية 8 ثماني 8 ثمان 8 تسعة 9 تسع 9 عشرة 10 عشر 10 "+
			"أحد_عشر 11 إحدى_عشرة 11 إحدى_عشر 11 اثنا_عشر 12 اثني_عشر 12 اثنتا_عشرة 12 اثنتي_عشرة 12 "+
			"ثلاثة_عشر 13 ثلاث_عشرة 13 أربعة_عشر 14 أربع_عشرة 14 خمسة_عشر 15 خمس_عشرة 15 ستة_عشر 16 ست_عشرة 16 "+
			"سبعة_عشر 17 سبع_عشرة 17 ثمانية_عشر 18 ثماني_عشرة 18 ثمان_عشرة 18 تسعة_عشر 19 تسع_عشرة 19 "+
			"عشرون 20 عشرين 20 ثلاثون 30 ثلاثين 30 أربعون 40 أربعين 40 خمسون 50 خمسين 50 ستون 60 ستين 60 "+
			"سبعون 70 سبعين 70 ثمانون 80 ثمانين 80 تسعون 90 تسعين 90 مائة h100 مئة h100 مائتان 200 مائتين 200 مئتان 200 مئتين 200 "+
			"ألف s1000 آلاف s1000 الف s1000 ألفان s2000 ألفين s2000 مليون s1e6 ملايين s1e6 مليار s1e9",
		"و", true),
	"armenian": newWords(
		[]string{"այո", "հա", "իհարկե", "լավ", "համաձայն եմ", "ճիշտ է", "անպայման", "ok", "օքեյ", "👍"},
		[]string{"ոչ", "չէ", "ոչ մի դեպքում", "ոչ շնորհակալություն", "երբեք", "իհարկե ոչ", "👎"},
		[]string{"ոչ", "չէ"},
		"զրո 0 մեկ 1 երկու 2 երեք 3 չորս 4 հինգ 5 վեց 6 յոթ 7 յոթը 7 ութ 8 ութը 8 ինը 9 ինն 9 տասը 10 տաս 10 տասն 10 "+
			"քսան 20 երեսուն 30 քառասուն 40 հիսուն 50 վաթսուն 60 յոթանասուն 70 ութսուն 80 իննսուն 90 "+
			"հարյուր h100 հազար s1000 միլիոն s1e6 միլիարդ s1e9",
		"", true),
	"basque": newWords(
		[]string{"bai", "noski", "ados", "bale", "jakina", "zalantzarik gabe", "bai horixe", "ok", "okey", "baietz", "arazorik ez", "👍"},
		[]string{"ez", "ez eskerrik asko", "inoiz ez", "ezta pentsatu ere", "ez horixe", "ezta ere", "ezetz", "👎"},
		[]string{"ez"},
		"zero 0 bat 1 bi 2 hiru 3 lau 4 bost 5 sei 6 zazpi 7 zortzi 8 bederatzi 9 hamar 10 hamaika 11 hamabi 12 hamahiru 13 "+
			"hamalau 14 hamabost 15 hamasei 16 hamazazpi 17 hemezortzi 18 hemeretzi 19 hogei 20 berrogei 40 hirurogei 60 laurogei 80 "+
			"ehun 100 berrehun 200 hirurehun 300 laurehun 400 bostehun 500 seiehun 600 zazpiehun 700 zortziehun 800 bederatziehun 900 "+
			"mila s1000 milioi s1e6",
		"eta ta", true),
	"hindi": newWords(
		[]string{"हाँ", "हां", "हा", "जी", "जी हाँ", "जी हां", "ठीक है", "बिल्कुल", "बिलकुल", "ज़रूर", "जरूर", "अवश्य", "सही", "ओके", "ok", "👍"},
		[]string{"नहीं", "नही", "ना", "जी नहीं", "कभी नहीं", "बिल्कुल नहीं", "बिलकुल नहीं", "नहीं धन्यवाद", "👎"},
		[]string{"नहीं", "ना"},
		"शून्य 0 एक 1 दो !2 तीन 3 चार 4 पाँच 5 छह 6 छः 6 सात 7 आठ 8 नौ 9 दस 10 ग्यारह 11 बारह 12 तेरह 13 चौदह 14 पंद्रह 15 पन्द्रह 15 "+
			"सोलह 16 सत्रह 17 अठारह 18 अट्ठारह 18 उन्नीस 19 बीस 20 इक्कीस 21 बाईस 22 तेईस 23 चौबीस 24 पच्चीस 25 छब्बीस 26 सत्ताईस 27 "+
			"अट्ठाईस 28 अट्ठाइस 28 उनतीस 29 उन्तीस 29 तीस 30 इकतीस 31 इकत्तीस 31 बत्तीस 32 तैंतीस 33 तेंतीस 33 चौंतीस 34 पैंतीस 35 "+
			"छत्तीस 36 सैंतीस 37 अड़तीस 38 उनतालीस 39 चालीस 40 इकतालीस 41 बयालीस 42 तैंतालीस 43 चौवालीस 44 चवालीस 44 पैंतालीस 45 "+
			"छियालीस 46 सैंतालीस 47 अड़तालीस 48 उनचास 49 पचास 50 इक्यावन 51 बावन 52 तिरपन 53 तिरेपन 53 चौवन 54 पचपन 55 छप्पन 56 "+
			"सत्तावन 57 अट्ठावन 58 उनसठ 59 साठ 60 इकसठ 61 बासठ 62 तिरसठ 63 तिरेसठ 63 चौंसठ 64 पैंसठ 65 छियासठ 66 छयासठ 66 सड़सठ 67 "+
			"सरसठ 67 अड़सठ 68 उनहत्तर 69 सत्तर 70 इकहत्तर 71 बहत्तर 72 तिहत्तर 73 चौहत्तर 74 पचहत्तर 75 छिहत्तर 76 सतहत्तर 77 "+
			"अठहत्तर 78 उन्यासी 79 उनासी 79 अस्सी 80 इक्यासी 81 बयासी 82 तिरासी 83 चौरासी 84 पचासी 85 छियासी 86 सत्तासी 87 सतासी 87 "+
			"अट्ठासी 88 अठासी 88 नवासी 89 नब्बे 90 इक्यानवे 91 इक्यानबे 91 बानवे 92 बानबे 92 तिरानवे 93 तिरानबे 93 चौरानवे 94 चौरानबे 94 "+
			"पचानवे 95 पंचानवे 95 पचानबे 95 पंचानबे 95 छियानवे 96 छियानबे 96 सत्तानवे 97 सत्तानबे 97 अट्ठानवे 98 अट्ठानबे 98 अठानवे 98 "+
			"निन्यानवे 99 निन्यानबे 99 डेढ़ 1.5 ढाई 2.5 साढ़े q0.5 सवा q0.25 पौने q-0.25 सौ h100 हज़ार s1000 लाख s1e5 करोड़ s1e7",
		"", false).wholeBelowHundred(),
	"lithuanian": newWords(
		[]string{"taip", "aha", "žinoma", "gerai", "sutinku", "tikrai", "būtinai", "be abejo", "teisingai", "ok", "okay", "jokių problemų", "👍"},
		[]string{"ne", "jokiu būdu", "niekada", "niekados", "ne ačiū", "tikrai ne", "visai ne", "👎"},
		[]string{"ne"},
		"nulis 0 vienas 1 viena 1 vieno 1 vienos 1 vieną 1 du 2 dvi 2 dviejų 2 dviem 2 trys 3 trijų 3 trims 3 "+
			"keturi 4 keturios 4 keturių 4 penki 5 penkios 5 penkių 5 šeši 6 šešios 6 šešių 6 septyni 7 septynios 7 septynių 7 "+
			"aštuoni 8 aštuonios 8 aštuonių 8 devyni 9 devynios 9 devynių 9 dešimt 10 dešimties 10 vienuolika 11 dvylika 12 "+
			"trylika 13 keturiolika 14 penkiolika 15 šešiolika 16 septyniolika 17 aštuoniolika 18 devyniolika 19 "+
			"dvidešimt 20 dvidešimties 20 trisdešimt 30 keturiasdešimt 40 penkiasdešimt 50 šešiasdešimt 60 septyniasdešimt 70 "+
			"aštuoniasdešimt 80 devyniasdešimt 90 šimtas h100 šimtai h100 šimtų h100 šimto h100 "+
			"tūkstantis s1000 tūkstančiai s1000 tūkstančių s1000 tūkstančio s1000 milijonas s1e6 milijonai s1e6 milijonų s1e6 "+
			"keturiems 4 penkiems 5 šešiems 6 septyniems 7 aštuoniems 8 devyniems 9 dveji 2 dvejų 2 treji 3 ketveri 4 penkeri 5",
		"", false),
	"nepali": newWords(
		[]string{"हो", "हजुर", "हुन्छ", "ठिक छ", "ठीक छ", "अवश्य", "पक्कै", "पक्का", "हस्", "ओके", "ok", "👍"},
		[]string{"होइन", "हैन", "छैन", "पर्दैन", "हुँदैन", "कहिल्यै", "होइन धन्यवाद", "पर्दैन धन्यवाद", "👎"},
		nil,
		"शून्य 0 एक 1 दुई 2 तीन 3 चार 4 पाँच 5 छ l6 सात 7 आठ 8 नौ 9 दस 10 दश 10 एघार 11 बाह्र 12 तेह्र 13 चौध 14 पन्ध्र 15 "+
			"सोह्र 16 सत्र 17 अठार 18 उन्नाइस 19 बीस 20 एक्काइस 21 बाइस 22 तेइस 23 चौबीस 24 चौबिस 24 पच्चीस 25 पच्चिस 25 "+
			"छब्बीस 26 छब्बिस 26 सत्ताइस 27 अठ्ठाइस 28 अट्ठाइस 28 अठाइस 28 उनन्तीस 29 तीस 30 एकतीस 31 एकत्तीस 31 बत्तीस 32 "+
			"तेत्तीस 33 चौँतीस 34 पैँतीस 35 छत्तीस 36 सैँतीस 37 अठतीस 38 उनन्चालीस 39 चालीस 40 एकचालीस 41 बयालीस 42 "+
			"त्रिचालीस 43 चवालीस 44 चौवालीस 44 पैँतालीस 45 छयालीस 46 सतचालीस 47 अठचालीस 48 उनन्चास 49 पचास 50 एकाउन्न 51 "+
			"बाउन्न 52 त्रिपन्न 53 चवन्न 54 चउन्न 54 चौवन्न 54 पचपन्न 55 छपन्न 56 सन्ताउन्न 57 अन्ठाउन्न 58 उनन्साठी 59 साठी 60 "+
			"एकसट्ठी 61 बयसट्ठी 62 त्रिसट्ठी 63 चौसट्ठी 64 चौंसट्ठी 64 पैँसट्ठी 65 छयसट्ठी 66 सतसट्ठी 67 अठसट्ठी 68 उनन्सत्तरी 69 "+
			"सत्तरी 70 एकहत्तर 71 बहत्तर 72 त्रिहत्तर 73 चौहत्तर 74 पचहत्तर 75 छयहत्तर 76 सतहत्तर 77 अठहत्तर 78 उनासी 79 असी 80 "+
			"एकासी 81 बयासी 82 त्रियासी 83 चौरासी 84 पचासी 85 छयासी 86 सतासी 87 अठासी 88 उनान्नब्बे 89 नब्बे 90 एकान्नब्बे 91 "+
			"बयानब्बे 92 त्रियान्नब्बे 93 चौरान्नब्बे 94 पन्चानब्बे 95 छयान्नब्बे 96 सन्तानब्बे 97 अन्ठान्नब्बे 98 उनान्सय 99 "+
			"डेढ 1.5 अढाई 2.5 साढे q0.5 सवा q0.25 पौने q-0.25 सय h100 हजार s1000 लाख s1e5 करोड s1e7",
		"", false).wholeBelowHundred(),
	"tamil": newWords(
		[]string{"ஆம்", "ஆமாம்", "ஆமா", "சரி", "கண்டிப்பாக", "நிச்சயமாக", "ஓகே", "ok", "okay", "👍"},
		[]string{"இல்லை", "இல்ல", "வேண்டாம்", "இல்லை நன்றி", "வேண்டாம் நன்றி", "👎"},
		nil,
		"பூஜ்ஜியம் 0 பூஜ்யம் 0 ஒன்று 1 ஒண்ணு 1 ஒரு 1 இரண்டு 2 ரெண்டு 2 மூன்று 3 மூணு 3 நான்கு 4 நாலு 4 ஐந்து 5 ஆறு 6 ஏழு 7 எட்டு 8 "+
			"ஒன்பது 9 பத்து 10 பதினொன்று 11 பன்னிரண்டு 12 பதின்மூன்று 13 பதினான்கு 14 பதினைந்து 15 பதினாறு 16 பதினேழு 17 "+
			"பதினெட்டு 18 பத்தொன்பது 19 இருபது 20 இருபத்தி 20 இருபத்து 20 முப்பது 30 முப்பத்தி 30 முப்பத்து 30 "+
			"நாற்பது 40 நாற்பத்தி 40 நாற்பத்து 40 ஐம்பது 50 ஐம்பத்தி 50 ஐம்பத்து 50 அறுபது 60 அறுபத்தி 60 அறுபத்து 60 "+
			"எழுபது 70 எழுபத்தி 70 எழுபத்து 70 எண்பது 80 எண்பத்தி 80 எண்பத்து 80 தொண்ணூறு 90 தொண்ணூற்றி 90 தொண்ணூற்று 90 "+
			"நூறு h100 நூற்றி h100 நூற்று h100 இருநூறு 200 இருநூற்று 200 முந்நூறு 300 முன்னூறு 300 முந்நூற்று 300 "+
			"நானூறு 400 நானூற்று 400 ஐந்நூறு 500 ஐநூறு 500 ஐந்நூற்று 500 ஐநூற்று 500 அறுநூறு 600 அறுநூற்று 600 "+
			"எழுநூறு 700 எழுநூற்று 700 எண்ணூறு 800 எண்ணூற்று 800 தொள்ளாயிரம் 900 தொள்ளாயிரத்து 900 "+
			"ஆயிரம் s1000 ஆயிரத்து s1000 லட்சம் s1e5 கோடி s1e7",
		"", false),
	"irish": newWords(
		[]string{"sea", "is ea", "tá", "ta", "cinnte", "go cinnte", "ar ndóigh", "ceart go leor", "ok", "okay", "👍"},
		[]string{"ní hea", "ni hea", "níl", "nil", "👎"},
		[]string{"níl", "nil"},
		"a_náid 0 a_haon 1 a_dó 2 a_trí 3 a_ceathair 4 a_cúig 5 a_sé 6 a_seacht 7 a_hocht 8 a_naoi 9 a_deich 10 déag f10 dhéag f10 "+
			"fiche 20 tríocha 30 daichead 40 caoga 50 seasca 60 seachtó 70 ochtó 80 nócha 90 céad h100 míle s1000 milliún s1e6 "+
			// Before a noun ("dhá chupán", "trí chéad"); "sé" (six, he)
			// and "chéad" (hundred, first) only next to another number word.
			"dhá 2 trí 3 ceithre 4 cúig 5 sé ~6 seacht 7 ocht 8 naoi 9 deich 10 chéad ~h100 mhíle ~s1000",
		"is", false),
	"serbian": newWords(
		[]string{"da", "naravno", "svakako", "može", "moze", "važi", "vazi", "u redu", "ok", "okej", "tačno", "tacno", "tako je", "dakako",
			"да", "наравно", "свакако", "може", "важи", "у реду", "океј", "тачно", "тако је", "nema problema", "нема проблема", "👍"},
		[]string{"ne", "nikako", "nikad", "nikada", "ne hvala", "nipošto", "ni slučajno", "ni slucajno",
			"не", "никако", "никад", "никада", "не хвала", "нипошто", "ни случајно", "👎"},
		[]string{"ne", "не"},
		// "sto" (100) is also "sto" (table): it is a number only next to
		// another number word ("sto dvadeset"), and "što" (what), whose
		// accent folds onto it, is never one.
		"nula 0 jedan 1 jedna 1 jedno 1 jednu 1 dva 2 dve 2 dvije 2 dvoje 2 tri 3 troje 3 četiri 4 četvoro 4 pet 5 petoro 5 "+
			"šest 6 šestoro 6 sedam 7 osam 8 devet 9 deset 10 jedanaest 11 dvanaest 12 trinaest 13 četrnaest 14 petnaest 15 "+
			"šesnaest 16 sedamnaest 17 osamnaest 18 devetnaest 19 dvadeset 20 trideset 30 četrdeset 40 pedeset 50 šezdeset 60 "+
			"sedamdeset 70 osamdeset 80 devedeset 90 sto =~100 stotinu 100 stotine ~h100 stotina ~h100 dvesta 200 dvjesta 200 "+
			"trista 300 tristo 300 četiristo 400 petsto 500 šeststo 600 sedamsto 700 osamsto 800 devetsto 900 "+
			"hiljada s1000 hiljade s1000 hiljadu s1000 milion s1e6 miliona s1e6 milijarda s1e9 milijarde s1e9 milijardi s1e9 "+
			"нула 0 један 1 једна 1 једно 1 једну 1 два 2 две 2 двије 2 двоје 2 три 3 троје 3 четири 4 четворо 4 пет 5 петоро 5 "+
			"шест 6 шесторо 6 седам 7 осам 8 девет 9 десет 10 једанаест 11 дванаест 12 тринаест 13 четрнаест 14 петнаест 15 "+
			"шеснаест 16 седамнаест 17 осамнаест 18 деветнаест 19 двадесет 20 тридесет 30 четрдесет 40 педесет 50 шездесет 60 "+
			"седамдесет 70 осамдесет 80 деведесет 90 сто ~100 стотину 100 стотине ~h100 стотина ~h100 двеста 200 двјеста 200 "+
			"триста 300 тристо 300 четиристо 400 петсто 500 шестсто 600 седамсто 700 осамсто 800 деветсто 900 "+
			"хиљада s1000 хиљаде s1000 хиљаду s1000 милион s1e6 милиона s1e6 милијарда s1e9 милијарде s1e9 милијарди s1e9",
		"i и", false).linked("da", "да"),
	"polish": newWords(
		[]string{"tak", "jasne", "oczywiście", "pewnie", "no pewnie", "no tak", "zgoda", "dobrze", "w porządku", "okej", "ok", "okay",
			"jak najbardziej", "chętnie", "tak jest", "racja", "owszem", "bez problemu", "👍"},
		[]string{"nie", "nie dziękuję", "w żadnym wypadku", "nigdy", "absolutnie nie", "raczej nie", "na pewno nie", "👎"},
		[]string{"nie"},
		"zero 0 jeden 1 jedna 1 jedno 1 jednego 1 jednej 1 dwa 2 dwie 2 dwóch 2 dwoje 2 dwóm 2 trzy 3 trzech 3 troje 3 "+
			"cztery 4 czterech 4 czworo 4 pięć 5 pięciu 5 pięcioro 5 sześć 6 sześciu 6 siedem 7 siedmiu 7 osiem 8 ośmiu 8 "+
			"dziewięć 9 dziewięciu 9 dziesięć 10 dziesięciu 10 jedenaście 11 dwanaście 12 trzynaście 13 czternaście 14 "+
			"piętnaście 15 szesnaście 16 siedemnaście 17 osiemnaście 18 dziewiętnaście 19 dwadzieścia 20 dwudziestu 20 "+
			"trzydzieści 30 trzydziestu 30 czterdzieści 40 czterdziestu 40 pięćdziesiąt 50 pięćdziesięciu 50 "+
			"sześćdziesiąt 60 siedemdziesiąt 70 osiemdziesiąt 80 dziewięćdziesiąt 90 sto 100 stu 100 dwieście 200 "+
			"trzysta 300 czterysta 400 pięćset 500 sześćset 600 siedemset 700 osiemset 800 dziewięćset 900 "+
			"tysiąc s1000 tysiące s1000 tysięcy s1000 milion s1e6 miliony s1e6 milionów s1e6",
		"", false).linked("że"),
	"estonian": newWords(
		[]string{"jah", "jaa", "jaah", "muidugi", "kindlasti", "loomulikult", "olgu", "sobib", "selge", "hästi", "täpselt", "õige",
			"okei", "ok", "okay", "pole probleemi", "👍"},
		[]string{"ei", "ei aitäh", "ei taha", "ei sobi", "mitte", "kindlasti mitte", "muidugi mitte", "mitte mingil juhul",
			"mitte kunagi", "👎"},
		[]string{"ei", "mitte"},
		"null 0 üks 1 ühe 1 kaks 2 kahe 2 kolm 3 kolme 3 neli 4 nelja 4 viis 5 viie 5 kuus 6 kuue 6 seitse 7 seitsme 7 "+
			"kaheksa 8 üheksa 9 kümme 10 kümne 10 üksteist 11 kaksteist 12 kolmteist 13 neliteist 14 viisteist 15 "+
			"kuusteist 16 seitseteist 17 kaheksateist 18 üheksateist 19 kakskümmend 20 kolmkümmend 30 nelikümmend 40 "+
			"viiskümmend 50 kuuskümmend 60 seitsekümmend 70 kaheksakümmend 80 üheksakümmend 90 sada 100 kakssada 200 "+
			"kolmsada 300 nelisada 400 viissada 500 kuussada 600 seitsesada 700 kaheksasada 800 üheksasada 900 "+
			"tuhat s1000 tuhande s1000 miljon s1e6 miljonit s1e6",
		"", false).notIn("kord kuus", "korda kuus"), // once, twice a month
	"esperanto": newWords(
		[]string{"jes", "jes ja", "certe", "kompreneble", "bone", "en ordo", "konsentas", "mi konsentas", "ĝuste", "prave", "nepre",
			"volonte", "ok", "okay", "👍"},
		[]string{"ne", "ne dankon", "neniel", "neniam", "tute ne", "👎"},
		[]string{"ne"},
		// "ok" (8) is okay too: a number only next to another number word.
		"nul 0 unu 1 du 2 tri 3 kvar 4 kvin 5 ses 6 sep 7 ok ~8 naŭ 9 dek 10 dudek 20 tridek 30 kvardek 40 kvindek 50 "+
			"sesdek 60 sepdek 70 okdek 80 naŭdek 90 cent 100 ducent 200 tricent 300 kvarcent 400 kvincent 500 sescent 600 "+
			"sepcent 700 okcent 800 naŭcent 900 mil s1000 miliono s1e6 milionoj s1e6",
		"", false),
	// Sesotho "e" (yes) is also a concord of many sentences ("kopi e le
	// nngwe", one cup): it is yes only as the first word of a message.
	"sesotho": newWords(
		[]string{"ee", "eya", "ehlile", "ho lokile", "kannete", "ke a dumela", "ok", "okay", "👍"},
		[]string{"tjhe", "tjhee", "che", "chee", "tjhe ke a leboha", "tjhe kea leboha", "👎"},
		nil,
		// The numbers one to ten, as they follow a concord ("kopi e le
		// nngwe", one cup; "dikopi tse pedi", two cups; "batho ba babedi",
		// two people), a hundred and a thousand; "supa" (seven, point)
		// only next to another number word.
		"nngwe 1 pedi 2 babedi 2 mabedi 2 tharo 3 bararo 3 mararo 3 nne 4 hlano 5 bahlano 5 mahlano 5 tshelela 6 "+
			"supa ~7 supileng 7 robedi 8 robong 9 leshome 10 lekgolo h100 sekete s1000",
		"", false).leadingYes("e"),
	// Persian yes and no, in Persian letters and in the Arabic ones
	// keyboards also type (yeh U+064A, kaf U+0643). Bare "خیر" (no, but
	// also good, as in "صبح به خیر", good morning) is read only with
	// thanks after it; "باشد" (be) and "چشم" (eye) are not read as yes;
	// numbers are read in digits ("نه" is no and nine).
	"persian": newWords(
		[]string{"بله", "بلی", "بلي", "آره", "اره", "آری", "آري", "حتما", "حتماً", "البته", "باشه", "درسته", "درست است",
			"موافقم", "اوکی", "اوكي", "ok", "okay", "👍"},
		[]string{"نه", "نخیر", "نخير", "نه خیر", "نه خير", "نه ممنون", "نه مرسی", "نه مرسي", "نه متشکرم", "نه متشكرم",
			"خیر ممنون", "خیر متشکرم", "خير ممنون", "خير متشكرم", "هرگز", "به هیچ وجه", "به هيچ وجه", "اصلا", "اصلاً", "👎"},
		[]string{"نه"},
		"", "", false),
	"yiddish": newWords(
		[]string{"יאָ", "יא", "אַוודאי", "אַװדאי", "אוודאי", "געוויס", "געװיס", "זיכער", "גוט", "אָקעי", "ok", "👍"},
		[]string{"ניין", "נײן", "ניט", "נישט", "קיינמאָל", "קײנמאָל", "קיינמאל", "ניין אַ דאַנק", "נײן אַ דאַנק", "ניין א דאנק", "👎"},
		[]string{"ניט", "נישט"},
		// "נײַן" (9), its accent folded, is "ניין" (no): a number only
		// next to another number word.
		yiddishSpellings("נול 0 איינס 1 איין 1 איינע 1 צוויי 2 דריי 3 פיר 4 פינף 5 פֿינף 5 זעקס 6 זיבן 7 אַכט 8 נײַן ~9 ניין ~9 צען 10 "+
			"עלף 11 צוועלף 12 דרייצן 13 פערצן 14 פופצן 15 פֿופֿצן 15 זעכצן 16 זיבעצן 17 אַכצן 18 נײַנצן 19 ניינצן 19 "+
			"צוואַנציק 20 צוואַנציג 20 דרייסיק 30 פערציק 40 פופציק 50 פֿופֿציק 50 זעכציק 60 זיבעציק 70 אַכציק 80 נײַנציק 90 ניינציק 90 "+
			"הונדערט h100 טויזנט s1000 מיליאָן s1e6 מיליאָנען s1e6"),
		"און", false),
	// Chinese, simplified and traditional, and Japanese are read inside
	// the words of a text (see inword.go): "我要三杯咖啡" holds 3, "ピザを
	// 三枚" 3. Their number characters are no number in words such as "一下"
	// (a moment), "一起" (together), "十分" (very; Japanese enough), "千万"
	// (by all means) and "一緒" (together), unless a number character comes
	// right before them ("三万一千", 31,000).
	"chinese": newWords(
		[]string{"是", "是的", "是啊", "对", "对的", "对啊", "對", "對的", "對啊", "好", "好的", "好啊", "好吧", "好滴", "可以",
			"行", "行吧", "没问题", "沒問題", "当然", "當然", "当然可以", "當然可以", "嗯", "嗯嗯", "要", "需要", "同意",
			"确定", "確定", "没错", "沒錯", "不错", "不錯", "ok", "okay", "👍"},
		[]string{"不", "不是", "不对", "不對", "不要", "没有", "沒有", "不用", "不用了", "不行", "不可以", "不需要", "不了",
			"没", "沒", "别", "別", "算了", "不必", "不好", "👎"},
		[]string{"不", "没", "沒", "别", "別"},
		"零 0 一 1 二 2 两 2 兩 2 俩 2 倆 2 三 3 四 4 五 5 六 6 七 7 八 8 九 9 十 m10 百 m100 千 m1000 "+
			"万 s1e4 萬 s1e4 亿 s1e8 億 s1e8",
		"", false).
		inWordsOf("一下", "一起", "一些", "一样", "一樣", "一直", "一定", "一般", "一点", "一點", "一切", "一共", "一会", "一會",
			"一边", "一邊", "一旦", "一向", "一路", "一致", "一流", "一半", "一律", "一再", "一时", "一時", "统一", "統一",
			"唯一", "万一", "萬一", "千万", "千萬", "十分", "万分", "萬分", "不一", "之一", "同一", "三明治", "零钱", "零錢",
			"零食", "百货", "百貨", "百姓", "百度", "乱七八糟", "亂七八糟", "四处", "四處", "八卦").
		yesNoInWords(
			[]string{"了", "啊", "吧", "呀", "哦", "喔", "呢", "啦", "嘛", "的", "哈", "谢谢", "謝謝", "谢了", "謝了", "多谢", "多謝",
				"我", "我们", "我們", "那", "那就", "就", "也", "都", "真的",
				// Questions: "好不好?" (all right?) is no answer.
				"好不好", "是不是", "对不对", "對不對", "行不行", "可不可以", "要不要", "有没有", "有沒有"},
			[]string{"是的", "是啊", "好的", "好啊", "好吧", "对的", "對的", "可以", "没问题", "沒問題", "当然", "當然", "当然可以",
				"當然可以", "没错", "沒錯", "不错", "不錯", "同意", "不是", "不要", "不用", "不用了", "没有", "沒有", "不行",
				"不可以", "不需要", "算了", "不对", "不對"}),
	"japanese": newWords(
		[]string{"はい", "はーい", "ええ", "うん", "うんうん", "そう", "そうです", "そうですね", "そうだね", "お願いします",
			"おねがいします", "お願い", "もちろん", "ぜひ", "是非", "いいよ", "いいですよ", "いいね", "オッケー", "オーケー",
			"了解", "了解です", "りょうかい", "承知しました", "かしこまりました", "わかりました", "分かりました", "賛成",
			"ok", "okay", "👍"},
		[]string{"いいえ", "いえ", "いや", "いやです", "ううん", "いらない", "いりません", "要らない", "要りません",
			"結構です", "けっこうです", "だめ", "だめです", "ダメ", "駄目", "無理", "無理です", "違います", "違う",
			"ちがいます", "ちがう", "遠慮します", "そうじゃない", "そうではない", "👎"},
		nil,
		"零 0 一 1 二 2 三 3 四 4 五 5 六 6 七 7 八 8 九 9 十 m10 百 m100 千 m1000 万 s1e4 萬 s1e4 億 s1e8 兆 s1e12 "+
			"一つ 1 二つ 2 三つ 3 四つ 4 五つ 5 六つ 6 七つ 7 八つ 8 九つ 9 "+
			"ひとつ 1 ふたつ 2 みっつ 3 よっつ 4 いつつ 5 むっつ 6 ななつ 7 やっつ 8 ここのつ 9 ひとり 1 ふたり 2",
		"", false).
		inWordsOf("一緒", "一番", "一応", "一体", "一生", "一部", "一般", "一切", "一層", "一旦", "一方", "一言", "一瞬",
			"一気", "一斉", "一流", "一致", "一向", "一途", "一寸", "十分", "万一", "万が一", "唯一", "統一", "同一",
			"一昨日", "一昨年", "精一杯", "八百屋", "七夕", "十八番", "九州", "四国", "三重", "千葉", "千代田", "八王子").
		yesNoInWords(
			[]string{"です", "ですね", "ですよ", "ね", "よ", "だ", "だよ", "ありがとう", "ありがとうございます", "どうも",
				"じゃあ", "それで"},
			[]string{"はい", "いいえ", "お願いします", "おねがいします", "もちろん", "いりません", "要りません", "いらない",
				"要らない", "違います", "かしこまりました", "承知しました", "わかりました", "分かりました", "了解です"}),
	// Korean: Sino-Korean numbers ("이십오", 25; a digit alone, "이",
	// two and this, only next to another number word) and native ones
	// ("스물다섯", 25); the forms before a counter, "한", "세", "네" (four
	// and yes), "열", are numbers only before one ("네 잔", four cups;
	// "두잔"), and a native number takes a particle ("하나요", "둘이서").
	"korean": newWords(
		[]string{"네", "넵", "넹", "네네", "예", "응", "그래", "그래요", "좋아", "좋아요", "좋습니다", "알겠습니다", "알겠어요",
			"알았어", "알았어요", "물론", "물론이죠", "물론이에요", "맞아", "맞아요", "맞습니다", "당연하지", "당연하죠",
			"그럼요", "오케이", "돼요", "됩니다", "콜", "ok", "okay", "👍"},
		[]string{"아니요", "아뇨", "아니오", "아니", "아니에요", "아니야", "싫어", "싫어요", "싫습니다", "안 돼", "안 돼요",
			"안돼", "안돼요", "됐어요", "됐어", "필요 없어요", "필요없어요", "별로", "안", "못", "👎"},
		[]string{"안", "못"},
		"영 ~0 일 ~1 이 ~2 삼 ~3 사 ~4 오 ~5 육 ~6 칠 ~7 팔 ~8 구 ~9 십 m10 백 m100 천 m1000 만 s1e4 억 s1e8 "+
			"하나 1 둘 2 셋 3 넷 4 다섯 5 여섯 6 일곱 7 여덟 8 아홉 9 열 ^10 스물 20 서른 30 마흔 40 쉰 50 예순 60 "+
			"일흔 70 여든 80 아흔 90 한 ^1 두 2 세 ^3 네 ^4 스무 20 첫 ^1 첫째 1 둘째 2 셋째 3 넷째 4",
		"", true).
		countedBy("잔 개 명 분 사람 병 그릇 접시 장 권 대 마리 번 번째 시 시간 달 살 가지 판 조각 인분 봉지 상자 캔 컵 "+
			"송이 켤레 벌 채 곳 세트 박 층 원 박스 팩 줄 통 모금 스푼 개월 주일",
			"요 이요 만 만요 씩 씩요 쯤 정도 이서 서 은 는 이 가 을 를 째 짜리 로 으로 하고 랑 이랑 에", false),
	"hebrew": newWords(
		[]string{"כן", "בטח", "בוודאי", "ברור", "כמובן", "בהחלט", "נכון", "אוקיי", "אוקי", "סבבה", "אין בעיה", "בשמחה",
			"מסכים", "מסכימה", "ok", "okay", "👍"},
		[]string{"לא", "לא תודה", "ממש לא", "בכלל לא", "אף פעם", "אין מצב", "לא צריך", "לא רוצה", "בשום אופן",
			"ברור שלא", "בטח שלא", "כמובן שלא", "👎"},
		[]string{"לא"},
		// "ו" (and) is joined to the next word ("עשרים ושלוש", 23), so
		// numbers are compounds; "עשר" and "עשרה" are ten, and a teen
		// after a unit ("חמש עשרה", 15); "שנים" (two, years) only next
		// to another number word.
		hebrewPrefixed("אפס 0 אחד 1 אחת 1 שניים 2 שנים ~2 שתיים 2 שתים 2 שני 2 שתי 2 שלושה 3 שלוש 3 שלושת 3 ארבעה 4 ארבע 4 ארבעת 4 "+
			"חמישה 5 חמש 5 חמשת 5 שישה 6 שש 6 ששת 6 שבעה 7 שבע 7 שבעת 7 שמונה 8 שמונת 8 תשעה 9 תשע 9 תשעת 9 "+
			"עשר d10 עשרה d10 עשרת 10 עשרים 20 שלושים 30 ארבעים 40 חמישים 50 שישים 60 שבעים 70 שמונים 80 תשעים 90 "+
			"מאה h100 מאות h100 מאתיים 200 אלף s1000 אלפים s1000 אלפיים s2000 מיליון s1e6 מיליארד s1e9"),
		"ו", true),
	"ukrainian": newWords(
		[]string{"так", "звісно", "звичайно", "авжеж", "гаразд", "добре", "окей", "ок", "ok", "okay", "згоден", "згодна",
			"звісно що так", "без проблем", "аякже", "ага", "угу", "певно", "залюбки", "👍"},
		[]string{"ні", "ні дякую", "ніколи", "не", "не треба", "не хочу", "звісно ні", "в жодному разі", "аж ніяк", "👎"},
		[]string{"не"},
		"нуль 0 один 1 одна 1 одне 1 одну 1 одного 1 одній 1 два 2 дві 2 двох 2 двом 2 двоє 2 три 3 трьох 3 трьом 3 троє 3 "+
			"чотири 4 чотирьох 4 четверо 4 п'ять 5 п'яти 5 п'ятеро 5 шість 6 шести 6 сім 7 семи 7 вісім 8 восьми 8 "+
			"дев'ять 9 дев'яти 9 десять 10 десяти 10 одинадцять 11 дванадцять 12 тринадцять 13 чотирнадцять 14 "+
			"п'ятнадцять 15 шістнадцять 16 сімнадцять 17 вісімнадцять 18 дев'ятнадцять 19 двадцять 20 тридцять 30 "+
			"сорок 40 п'ятдесят 50 шістдесят 60 сімдесят 70 вісімдесят 80 дев'яносто 90 сто 100 двісті 200 триста 300 "+
			"чотириста 400 п'ятсот 500 шістсот 600 сімсот 700 вісімсот 800 дев'ятсот 900 тисяча s1000 тисячі s1000 "+
			"тисяч s1000 мільйон s1e6 мільйони s1e6 мільйонів s1e6 мільярд s1e9 півтора 1.5 півтори 1.5",
		"", false).linked("що"),
	"czech": newWords(
		[]string{"ano", "jo", "jojo", "jasně", "jistě", "určitě", "dobře", "ok", "okej", "okay", "samozřejmě", "rozhodně",
			"souhlasím", "přesně", "klidně", "no jasně", "no jo", "beze všeho", "není problém", "žádný problém",
			"v pořádku", "platí", "👍"},
		[]string{"ne", "ne díky", "ne děkuji", "nikdy", "vůbec ne", "rozhodně ne", "určitě ne", "v žádném případě",
			"ani náhodou", "nechci", "radši ne", "nesouhlasím", "👎"},
		[]string{"ne"},
		// "a" (and) joins a unit to the tens after it, also in one word
		// ("dvaadvacet", 22).
		"nula 0 jeden 1 jedna 1 jedno 1 jednu 1 jednoho 1 dva 2 dvě 2 dvou 2 tři 3 tří 3 třech 3 čtyři 4 čtyř 4 "+
			"pět 5 pěti 5 šest 6 šesti 6 sedm 7 sedmi 7 osm 8 osmi 8 devět 9 devíti 9 deset 10 deseti 10 jedenáct 11 "+
			"dvanáct 12 třináct 13 čtrnáct 14 patnáct 15 šestnáct 16 sedmnáct 17 osmnáct 18 devatenáct 19 dvacet 20 "+
			"třicet 30 čtyřicet 40 padesát 50 šedesát 60 sedmdesát 70 osmdesát 80 devadesát 90 sto h100 stě h100 "+
			"sta h100 set h100 tisíc s1000 tisíce s1000 milion s1e6 miliony s1e6 milionů s1e6 miliarda s1e9",
		"a", true),
	"bulgarian": newWords(
		[]string{"да", "разбира се", "добре", "естествено", "окей", "ок", "ok", "okay", "може", "става", "точно",
			"със сигурност", "без проблем", "няма проблем", "дадено", "съгласен", "съгласна", "абсолютно", "👍"},
		[]string{"не", "не благодаря", "никога", "в никакъв случай", "няма нужда", "не искам", "не мерси", "👎"},
		[]string{"не"},
		"нула 0 едно 1 един 1 една 1 два 2 две 2 двама 2 три 3 трима 3 четири 4 четирима 4 пет 5 петима 5 шест 6 "+
			"седем 7 осем 8 девет 9 десет 10 единадесет 11 единайсет 11 дванадесет 12 дванайсет 12 тринадесет 13 "+
			"тринайсет 13 четиринадесет 14 четиринайсет 14 петнадесет 15 петнайсет 15 шестнадесет 16 шестнайсет 16 "+
			"седемнадесет 17 седемнайсет 17 осемнадесет 18 осемнайсет 18 деветнадесет 19 деветнайсет 19 "+
			"двадесет 20 двайсет 20 тридесет 30 трийсет 30 четиридесет 40 четирийсет 40 петдесет 50 шестдесет 60 "+
			"седемдесет 70 осемдесет 80 деветдесет 90 сто 100 двеста 200 триста 300 четиристотин 400 петстотин 500 "+
			"шестстотин 600 седемстотин 700 осемстотин 800 деветстотин 900 хиляда s1000 хиляди s1000 милион s1e6 "+
			"милиона s1e6 милиард s1e9",
		"и", false).linked("че").notIn("един момент", "една минута", "една секунда"),
	// Vietnamese number words are read as spelled, with their tone marks
	// ("sáu", six; "sau", after). "năm" is five and a year: not after a
	// number ("hai năm", two years) nor before digits ("năm 2024").
	"vietnamese": newWords(
		[]string{"vâng", "dạ", "ừ", "ừm", "đúng", "đúng rồi", "đúng vậy", "được rồi", "ok", "oke", "okay", "chắc chắn",
			"tất nhiên", "đồng ý", "phải rồi", "không sao", "không vấn đề gì", "dạ vâng", "👍"},
		[]string{"không", "không có", "không phải", "không được", "không cần", "không cảm ơn", "không đâu", "chưa",
			"thôi", "đừng", "chẳng", "không bao giờ", "không muốn", "chắc chắn không", "👎"},
		[]string{"không", "chẳng", "chưa"},
		"một =1 hai =2 ba =3 bốn =4 tư =~4 năm =%5 lăm =~5 nhăm =~5 sáu =6 bảy =7 bẩy =7 tám =8 chín =9 mười =10 "+
			"mươi =t10 mốt =~1 linh =~0 lẻ =~0 trăm =h100 nghìn =s1000 ngàn =s1000 triệu =s1e6 tỷ =s1e9 tỉ =s1e9",
		"", false).leadingYes("có", "có chứ", "dạ có", "được", "phải").
		notIn("năm nay", "năm ngoái", "năm sau", "năm tới", "năm mới", "năm học", "hàng năm", "mỗi năm", "cả năm",
			"ba mẹ", "ba má", "ba tôi", "ba em", "ba của", "chín kỹ", "chín tới", "chín vừa", "chưa chín", "một chút",
			"một lát", "một chốc"),
	// Thai number words are syllables of other words too ("สามารถ", can,
	// holds "สาม", three): inside a word they are a number only at its
	// end or before a counter ("กาแฟสองแก้ว", two glasses of coffee).
	"thai": newWords(
		[]string{"ใช่", "ใช่แล้ว", "ได้", "ได้เลย", "โอเค", "ตกลง", "แน่นอน", "ถูกต้อง", "เอา", "เอาเลย", "จ้ะ", "จ้า", "ok", "okay", "👍"},
		[]string{"ไม่", "ไม่ใช่", "ไม่เอา", "ไม่ต้อง", "ไม่ได้", "ไม่เป็นไร", "ไม่ดีกว่า", "ไม่เคย", "ไม่ล่ะ", "👎"},
		[]string{"ไม่"},
		"ศูนย์ =0 หนึ่ง =1 เอ็ด =~1 สอง =2 ยี่สิบ =20 สาม =3 สี่ =4 ห้า =5 หก =6 เจ็ด =7 แปด =8 เก้า =9 "+
			"สิบ =m10 ร้อย =m100 พัน =m1000 หมื่น =m1e4 แสน =m1e5 ล้าน =s1e6",
		"", false).leadingYes("ครับ", "ค่ะ", "คับ", "ครับผม").
		inWordsOf("เรียบร้อย", "ร้อยละ").
		countedBy("แก้ว ชิ้น คน อัน ถาด จาน ขวด กล่อง ใบ ตัว ชุด คืน วัน บาท ครั้ง ห้อง ลูก ถ้วย ชั่วโมง นาที ปี เดือน "+
			"โมง ทุ่ม เล่ม แพ็ค ห่อ ถุง กระป๋อง เม็ด ท่าน หลัง คัน สัปดาห์ อาทิตย์ กิโล ลิตร ชาม ที่ รอบ ครับ ค่ะ คะ นะ เลย ด้วย",
			"", true).
		yesNoInWords(
			[]string{"ครับ", "ค่ะ", "คะ", "คับ", "ครับผม", "นะ", "นะครับ", "นะคะ", "ขอบคุณ", "ขอบคุณครับ", "ขอบคุณค่ะ", "แล้ว",
				"เลย", "ละ", "ค่า"},
			[]string{"ใช่", "ใช่แล้ว", "ได้เลย", "ตกลง", "ไม่ใช่", "ไม่เอา", "ไม่ต้อง", "ไม่ได้", "ไม่เป็นไร", "โอเค", "แน่นอน"}),
}

// newWords builds a language's words: its yes and no phrases, the
// negators, the number lexicon ("word value" pairs, the value prefixed by
// a kind letter: h for hundred, s for a scale, t and f for the tens and
// teens that follow their unit, Finnish's and Indonesian's, l for a unit
// read only before a hundred or a scale, q for a fraction added to the
// next unit or hundred, m for a multiplier of the unit before it that is
// its own value alone (Chinese "十", Thai "สิบ"), d for a ten that makes a
// teen after a unit and is ten alone (Hebrew "עשרה"); before all, "~" for
// a word that is a number only next to another number word, "^" for one
// that is a number only before a counter or next to another number word
// (Korean "네", four and yes), "%" for one that is also a noun counted by
// numbers (see [numberWord.noun]), "=" for one read only as spelled, its
// accents not folded, "#" for an ordinal and "!" for a word that is also
// a verb (see [langWords.fits]); "_" in a word stands for a hyphen or a space
// between two tokens), the connector words (space-separated) and whether
// numbers are compounds.
func newWords(yes, no, negators []string, lexicon, connector string, compound bool) *langWords {
	w := &langWords{yes: splitPhrases(yes), no: splitPhrases(no), negators: map[string]bool{}, compound: compound}
	for _, n := range negators {
		w.negators[numberKey(n)] = true
	}
	if lexicon == "" {
		return w
	}
	w.numbers = map[string]numberWord{}
	f := strings.Fields(lexicon)
	for i := 0; i+1 < len(f); i += 2 {
		spec := f[i+1]
		nw := numberWord{}
		for ; strings.IndexByte("~=#!^%", spec[0]) >= 0; spec = spec[1:] {
			nw.company = nw.company || spec[0] == '~'
			nw.spelled = nw.spelled || spec[0] == '='
			nw.ordinal = nw.ordinal || spec[0] == '#'
			nw.verb = nw.verb || spec[0] == '!'
			nw.counted = nw.counted || spec[0] == '^'
			nw.noun = nw.noun || spec[0] == '%'
		}
		if c := spec[0]; c < '0' || c > '9' {
			nw.kind, spec = c, spec[1:]
		}
		v, err := strconv.ParseFloat(spec, 64)
		if err != nil {
			panic("nlu: bad number lexicon entry " + f[i] + " " + f[i+1])
		}
		nw.value = v
		key := numberKey(strings.ReplaceAll(f[i], "_", " "))
		if nw.spelled {
			// Kept apart from the words its accents fold onto
			// (Vietnamese "sáu", six, and "sau", after).
			key = Normalize(strings.ReplaceAll(f[i], "_", " "))
		}
		w.numbers[key] = nw
		w.sino = w.sino || nw.kind == numMul
		w.longest = max(w.longest, len(key))
	}
	w.connector = map[string]bool{}
	for _, c := range strings.Fields(connector) {
		w.connector[numberKey(c)] = true
	}
	return w
}

// hebrewPrefixed adds to a Hebrew lexicon each word with the prepositions
// written joined to it, "ל" (for) and "ב" (at, in): "שולחן לחמישה" (a
// table for five), "בשלוש" (at three); a word read only next to another
// number word is left as it is.
func hebrewPrefixed(lexicon string) string {
	f := strings.Fields(lexicon)
	out := f
	for i := 0; i+1 < len(f); i += 2 {
		if !strings.HasPrefix(f[i+1], "~") {
			out = append(out, "ל"+f[i], f[i+1], "ב"+f[i], f[i+1])
		}
	}
	return strings.Join(out, " ")
}

// yiddishSpellings adds to a Yiddish lexicon each word's spelling with
// the ligatures "װ", "ױ" and "ײ" for "וו", "וי" and "יי", which people
// type either way and the normaliser keeps apart.
func yiddishSpellings(lexicon string) string {
	lig := strings.NewReplacer("וו", "װ", "וי", "ױ", "יי", "ײ")
	unlig := strings.NewReplacer("װ", "וו", "ױ", "וי", "ײ", "יי")
	f := strings.Fields(lexicon)
	out := f
	for i := 0; i+1 < len(f); i += 2 {
		for _, w := range []string{lig.Replace(f[i]), unlig.Replace(f[i])} {
			if w != f[i] {
				out = append(out, w, f[i+1])
			}
		}
	}
	return strings.Join(out, " ")
}

// ordinals returns the lexicon entries of ordinals made of each stem of
// stems ("stem value" pairs) and each of endings: ordinals("e er",
// "zweit 2") is "zweite #2 zweiter #2"; "-" is no ending.
func ordinals(endings, stems string) string {
	var b strings.Builder
	f := strings.Fields(stems)
	for i := 0; i+1 < len(f); i += 2 {
		for _, e := range strings.Fields(endings) {
			b.WriteString(" " + f[i] + strings.TrimPrefix(e, "-") + " #" + f[i+1])
		}
	}
	return b.String()
}

// ordinalsAfter sets the determiners after which w's ordinals are read
// (space-separated; an elided one ends with its apostrophe, "l'").
func (w *langWords) ordinalsAfter(determiners string) *langWords {
	w.determiners = map[string]bool{}
	for _, d := range strings.Fields(determiners) {
		w.determiners[numberKey(d)] = true
	}
	return w
}

// notIn sets the phrases in which w's number words are other words
// ("quoi de neuf", what's new; "un momento", just a moment).
func (w *langWords) notIn(phrases ...string) *langWords {
	w.notNumbers = splitPhrases(phrases)
	return w
}

// digitOrdinals sets the suffixes of ordinals written in digits ("2ème",
// "1º"), beside English's ("1st"), read in every language.
func (w *langWords) digitOrdinals(suffixes ...string) *langWords {
	for _, x := range suffixes {
		w.suffixes = append(w.suffixes, numberKey(x))
	}
	return w
}

// leadingYes sets yes phrases read only at the start of a message, as
// Sesotho "e": elsewhere they are other words.
func (w *langWords) leadingYes(phrases ...string) *langWords {
	w.leading = splitPhrases(phrases)
	return w
}

// linked sets the words that link a yes to the no that negates it, as
// "que" in Spanish "claro que no" (of course not).
func (w *langWords) linked(linkers ...string) *langWords {
	w.linkers = map[string]bool{}
	for _, l := range linkers {
		w.linkers[numberKey(l)] = true
	}
	return w
}

// wholeBelowHundred marks w's numbers under 100 as one word each, as
// Hindi's are ("पच्चीस" is 25): such a word follows only a hundred or a
// scale ("दो सौ पचास", 250), so "दस पाँच" (ten or five, a few) is two
// numbers, not 15.
func (w *langWords) wholeBelowHundred() *langWords {
	w.whole = true
	return w
}

// numberKey is the form number words are compared in: normalised, without
// accents.
func numberKey(s string) string { return foldAccents(Normalize(s)) }

// parseNumberWordsAt parses a number written in words of w's language
// starting at toks[i], as parseNumberAt does for English. An ordinal ends
// the number ("zweiundzwanzigste"), but for an ordinal unit after an
// ordinal ten in the languages whose ordinals follow a determiner
// ("décimo quinto", 15).
func (w *langWords) parseNumberWordsAt(text string, toks []Token, i int) (n int, v float64, ok bool) {
	st := numberState{whole: w.whole, sino: w.sino, ordinalPairs: w.determiners != nil}
	j := i
	for j < len(toks) && (!st.ordinal || st.openOrdinal) {
		if j > i && !adjacent(text, toks[j-1], toks[j]) {
			break
		}
		// A word of two tokens ("quatre-vingt") first.
		if j+1 < len(toks) && adjacent(text, toks[j], toks[j+1]) {
			if nw, ok := w.numbers[numberKey(toks[j].Text)+" "+numberKey(toks[j+1].Text)]; ok && w.fits(text, toks, i, j, j+2, false, nw) {
				next := st
				if next.add(nw) {
					st = next
					j += 2
					if st.complete() {
						n, v = j-i, st.total+st.current
					}
					continue
				}
			}
		}
		key := numberKey(toks[j].Text)
		if key == "" {
			break
		}
		var parts []numberPart
		nw, ok := w.numbers[toks[j].Text]
		if ok = ok && nw.spelled; ok {
			parts = []numberPart{{word: nw}} // as spelled ("sáu")
		} else if parts, ok = w.segment(key); ok && len(parts) == 1 && parts[0].word.spelled && key != toks[j].Text {
			break // a word whose accents fold onto one read only as spelled
		}
		determined := false
		if !ok && j == i {
			parts, ok = w.elided(key)
			determined = ok
		}
		if !ok {
			break
		}
		words := make([]numberWord, 0, len(parts))
		for _, p := range parts {
			if !p.connector {
				words = append(words, p.word)
			}
		}
		if !w.fits(text, toks, i, j, j+1, determined, words...) {
			break
		}
		next := st
		for _, p := range parts {
			if p.connector {
				ok = next.connect()
			} else {
				ok = next.add(p.word)
			}
			if !ok {
				break
			}
		}
		if !ok {
			break
		}
		st = next
		j++
		if st.complete() {
			n, v = j-i, st.total+st.current
		}
	}
	if n > 0 && st.counted && (i+n >= len(toks) || !adjacent(text, toks[i+n-1], toks[i+n]) || !w.counterAt(toks[i+n].Text)) {
		return 0, 0, false
	}
	return n, v, n > 0 && st.numbers > 0 && !st.alone
}

// counterAt reports whether the token tok is one of w's counters, alone
// or with a particle after it (Korean "잔", "잔이요").
func (w *langWords) counterAt(tok string) bool {
	for k := len(tok); k > 0; k-- {
		if w.counters[tok[:k]] && (k == len(tok) || w.particles[tok[k:]]) {
			return true
		}
	}
	return false
}

// fits reports whether the number words ws, read from toks[j:end] in a
// number that starts at toks[i], are numbers where they stand: an ordinal
// of a language with determiners follows one ("la seconda"), stands for a
// whole message ("seconda") or has one elided onto it (determined,
// "l'ottavo"); a word that is also a verb ends no clause it does not
// start (Hindi "मुझे पानी दो", give me water, but "दो कॉफ़ी", two coffees,
// and "दो", two, alone).
func (w *langWords) fits(text string, toks []Token, i, j, end int, determined bool, ws ...numberWord) bool {
	for _, nw := range ws {
		if nw.ordinal && w.determiners != nil && !determined {
			afterDeterminer := i > 0 && w.determiners[numberKey(toks[i-1].Text)]
			if !afterDeterminer && (i > 0 || end < len(toks)) {
				return false
			}
		}
		if nw.noun && j == i {
			if i > 0 && adjacent(text, toks[i-1], toks[i]) && w.isNumberText(toks[i-1].Text) {
				return false // "hai năm", two years
			}
			next := ""
			if end < len(toks) && adjacent(text, toks[end-1], toks[end]) {
				next = asciiDigits(toks[end].Text)
			}
			if next != "" && isDigitByte(next[0]) {
				return false // "năm 2024", the year 2024
			}
		}
		if nw.verb && j == i {
			clauseEnd := end == len(toks) || !adjacent(text, toks[end-1], toks[end])
			if clauseEnd && i > 0 && adjacent(text, toks[i-1], toks[i]) {
				return false
			}
		}
	}
	return true
}

// isNumberText reports whether the token text tok is a number: digits or
// a number word of w.
func (w *langWords) isNumberText(tok string) bool {
	if _, _, ok := parseDigits(asciiDigits(tok), w.suffixes); ok {
		return true
	}
	return w.isNumberWord(tok)
}

// elided reads an ordinal with a determiner elided onto it, as Italian
// "l'ottavo" (the eighth), in a language with determiners.
func (w *langWords) elided(key string) ([]numberPart, bool) {
	k := strings.LastIndexByte(key, '\'')
	if w.determiners == nil || k < 0 || !w.determiners[key[:k+1]] {
		return nil, false
	}
	nw, ok := w.numbers[key[k+1:]]
	if !ok || !nw.ordinal {
		return nil, false
	}
	return []numberPart{{word: nw}}, true
}

// blockNotNumbers returns toks with the tokens of w's phrases that are no
// numbers ("quoi de neuf", what's new) read as no word: their Text is
// empty, which no number reads.
func (w *langWords) blockNotNumbers(toks []Token) []Token {
	if len(w.notNumbers.words) == 0 {
		return toks
	}
	keys := keysOf(toks)
	for i := 0; i < len(toks); i++ {
		l := w.notNumbers.longestAt(keys, i)
		for k := i; k < i+l; k++ {
			toks[k].Text = ""
		}
		i += max(l-1, 0)
	}
	return toks
}

// A numberPart is one piece of a number word: a lexicon word or the
// connector.
type numberPart struct {
	word      numberWord
	connector bool
}

// segment splits a folded token into number words and connectors: the
// token itself, or with compound numbers the pieces it is made of (the
// split with the fewest pieces).
func (w *langWords) segment(tok string) ([]numberPart, bool) {
	if nw, ok := w.numbers[tok]; ok {
		return []numberPart{{word: nw}}, true
	}
	if w.connector[tok] {
		return []numberPart{{connector: true}}, true
	}
	if !w.compound || len(tok) > 64 {
		return nil, false
	}
	// best[k] is the fewest pieces covering tok[:k], from[k] where the last
	// one starts.
	var best, from [65]int
	for k := 1; k <= len(tok); k++ {
		best[k] = -1
		for s := max(0, k-w.longest); s < k; s++ {
			if best[s] < 0 && s > 0 {
				continue
			}
			piece := tok[s:k]
			if _, ok := w.numbers[piece]; !ok && !w.connector[piece] {
				continue
			}
			if best[k] < 0 || best[s]+1 < best[k] {
				best[k], from[k] = best[s]+1, s
			}
		}
	}
	if best[len(tok)] < 0 {
		return nil, false
	}
	var parts []numberPart
	for k := len(tok); k > 0; k = from[k] {
		piece := tok[from[k]:k]
		if w.connector[piece] {
			parts = append(parts, numberPart{connector: true})
		} else {
			parts = append(parts, numberPart{word: w.numbers[piece]})
		}
	}
	for a, b := 0, len(parts)-1; a < b; a, b = a+1, b-1 {
		parts[a], parts[b] = parts[b], parts[a]
	}
	return parts, true
}

// numberState accumulates a number as its words come.
type numberState struct {
	total, current    float64
	lastAdd           float64 // the last value added since a multiplier or connector; 0: none
	lastUnit          float64 // the last value under 10 added, for numTens
	lastHundred       bool
	pendingConnector  bool    // a connector waits for the next number word
	pendingMultiplier bool    // a numLead word waits for a hundred or a scale
	pendingFraction   bool    // a numFraction word waits for a unit, a hundred or a scale
	fraction          float64 // its value
	whole             bool    // langWords.whole: a word under 100 follows no other
	sino              bool    // langWords.sino: a unit follows no unit
	lastMul           float64 // the last numMul read since a scale; 0: none
	numbers           int     // number words read
	alone             bool    // the one word read needs another (numberWord.company)
	counted           bool    // the one word read needs a counter after it (numberWord.counted)
	ordinal           bool    // an ordinal was read: the number ends
	openOrdinal       bool    // the ordinal read is a ten that an ordinal unit may follow: "vigésimo primero"
	ordinalPairs      bool    // the language writes such pairs (langWords.determiners: Spanish, Italian, Portuguese)
}

// complete reports whether the words read so far make a number, with no
// connector, lead or fraction waiting for the next word.
func (s *numberState) complete() bool {
	return !s.pendingConnector && !s.pendingMultiplier && !s.pendingFraction
}

// add reads one number word; it reports false when the word cannot
// continue the number ("zwei drei" is two numbers).
func (s *numberState) add(w numberWord) bool {
	if s.pendingMultiplier && w.kind != numHundred && w.kind != numScale {
		return false
	}
	if s.ordinal && !(s.openOrdinal && w.ordinal && w.kind == numAdd && w.value < 10) {
		return false // an ordinal ends the number, but for "décimo quinto" (15)
	}
	kind := w.kind
	if kind == numTen {
		kind = numAdd // "עשר", ten
		if s.lastUnit != 0 {
			kind = numTeen // "חמש עשרה", fifteen
		}
	}
	fraction := 0.0
	if s.pendingFraction {
		switch kind {
		case numHundred, numScale:
			s.current += 1 + s.fraction // "सवा सौ", 1¼ hundred
		case numAdd, numLead:
			fraction = s.fraction // "साढ़े तीन", 3½
		default:
			return false
		}
	}
	switch kind {
	case numMul:
		if s.lastMul != 0 && w.value >= s.lastMul {
			return false // "五十三百"
		}
		if s.lastUnit != 0 {
			s.current += s.lastUnit * (w.value - 1) // "五十", 5 × 10
		} else if s.lastAdd != 0 {
			return false
		} else {
			s.current += w.value // "十五", 10 + 5
		}
		s.lastMul, s.lastAdd, s.lastUnit, s.lastHundred = w.value, w.value, 0, false
	case numHundred:
		if s.lastHundred {
			return false
		}
		s.current = max(s.current, 1) * w.value
		s.lastHundred, s.lastAdd, s.lastUnit = true, 0, 0
	case numScale:
		if s.numbers == 0 && s.current == 0 {
			s.current = 1 // "mille", "tausend" alone
		}
		s.total += max(s.current, 1) * w.value
		s.current, s.lastAdd, s.lastUnit, s.lastHundred, s.lastMul = 0, 0, 0, false, 0
	case numTens:
		if s.lastUnit == 0 {
			return false
		}
		s.current += s.lastUnit * (w.value - 1)
		s.lastAdd, s.lastUnit = w.value*10, 0
	case numTeen:
		if s.lastUnit == 0 {
			return false
		}
		s.current += w.value
		s.lastAdd, s.lastUnit = w.value+s.lastUnit, 0
	case numFraction:
		if s.lastAdd != 0 {
			return false
		}
		s.fraction = w.value
	default:
		// A connector joins a unit to the tens after it ("einundzwanzig",
		// "خمسة وعشرون"), not two numbers ("pet i šest", five and six).
		unitTens := s.pendingConnector && s.lastAdd < 10 && w.value < 100 && math.Mod(w.value, 10) == 0
		if s.lastAdd != 0 && (w.value >= s.lastAdd || s.whole && s.lastAdd < 100) && !unitTens {
			return false
		}
		if s.sino && s.lastUnit != 0 {
			return false // "五三", "사이" (between): two numbers, or none
		}
		s.current += w.value + fraction
		s.lastAdd = w.value
		s.lastUnit = 0
		if w.value < 10 {
			s.lastUnit = w.value
		}
		s.lastHundred = false
	}
	s.pendingConnector = false
	s.openOrdinal = s.ordinalPairs && w.ordinal && !s.ordinal && w.kind == numAdd && w.value >= 10 && w.value < 100 && math.Mod(w.value, 10) == 0
	s.ordinal = w.ordinal
	s.alone = s.numbers == 0 && w.company
	s.counted = s.numbers == 0 && w.counted
	s.pendingMultiplier = w.kind == numLead && !s.pendingFraction
	s.pendingFraction = w.kind == numFraction
	s.numbers++
	return true
}

// connect reads a connector ("und", "et"), which must stand between two
// number words.
func (s *numberState) connect() bool {
	if s.numbers == 0 || s.pendingConnector {
		return false
	}
	s.pendingConnector = true
	return true
}
