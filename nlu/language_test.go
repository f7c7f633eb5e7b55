package nlu_test

import (
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestLanguageBots trains a small bot in each language on real phrases (an
// order, opening hours, a goodbye) and asks in other words and forms.
func TestLanguageBots(t *testing.T) {
	type bot struct {
		order, hours, bye []string
		queries           map[string]string // query → label
	}
	bots := map[string]bot{
		"german": {
			order:   []string{"ich möchte einen Kaffee bestellen", "eine Bestellung aufgeben", "kann ich einen Tee haben", "ich hätte gern einen Cappuccino"},
			hours:   []string{"wann haben Sie geöffnet", "wie sind die Öffnungszeiten", "haben Sie am Sonntag offen", "bis wann ist geöffnet"},
			bye:     []string{"auf Wiedersehen", "tschüss", "bis bald", "schönen Tag noch"},
			queries: map[string]string{"zwei Bestellungen bitte": "order", "Öffnungszeit am Samstag": "hours", "tschüss und bis bald": "bye"},
		},
		"italian": {
			order:   []string{"vorrei ordinare un caffè", "posso avere un cappuccino", "un tè per favore", "voglio fare un ordine"},
			hours:   []string{"a che ora aprite", "quali sono gli orari di apertura", "siete aperti la domenica", "fino a che ora siete aperti"},
			bye:     []string{"arrivederci", "ciao a presto", "buona giornata", "ci vediamo"},
			queries: map[string]string{"vorrei ordinato due caffè": "order", "orario di apertura sabato": "hours", "arrivederci e buona giornata": "bye"},
		},
		"portuguese": {
			order:   []string{"quero encomendar um café", "posso pedir um chá", "queria um cappuccino por favor", "fazer uma encomenda"},
			hours:   []string{"a que horas abrem", "qual é o horário de funcionamento", "estão abertos ao domingo", "até que horas estão abertos"},
			bye:     []string{"adeus", "até logo", "tenha um bom dia", "tchau"},
			queries: map[string]string{"duas encomendas por favor": "order", "horários de sábado": "hours", "adeus e até logo": "bye"},
		},
		"dutch": {
			order:   []string{"ik wil een koffie bestellen", "mag ik een thee", "een cappuccino graag", "ik wil een bestelling plaatsen"},
			hours:   []string{"hoe laat gaan jullie open", "wat zijn de openingstijden", "zijn jullie op zondag open", "tot hoe laat zijn jullie open"},
			bye:     []string{"tot ziens", "doei", "fijne dag nog", "tot later"},
			queries: map[string]string{"twee bestellingen graag": "order", "openingstijd op zaterdag": "hours", "doei en tot ziens": "bye"},
		},
		"danish": {
			order:   []string{"jeg vil gerne bestille en kaffe", "kan jeg få en te", "en cappuccino tak", "jeg vil afgive en bestilling"},
			hours:   []string{"hvornår åbner I", "hvad er åbningstiderne", "har I åbent om søndagen", "hvor længe har I åbent"},
			bye:     []string{"farvel", "vi ses", "hav en god dag", "hej hej"},
			queries: map[string]string{"to bestillinger tak": "order", "åbningstider lørdag": "hours", "farvel og vi ses": "bye"},
		},
		"finnish": {
			order:   []string{"haluaisin tilata kahvin", "saisinko teetä", "yksi cappuccino kiitos", "haluan tehdä tilauksen"},
			hours:   []string{"milloin olette auki", "mitkä ovat aukioloajat", "oletteko auki sunnuntaina", "mihin asti olette auki"},
			bye:     []string{"näkemiin", "hei hei", "hyvää päivänjatkoa", "nähdään"},
			queries: map[string]string{"kaksi tilausta kiitos": "order", "aukioloajat lauantaina": "hours", "näkemiin ja nähdään": "bye"},
		},
		"romanian": {
			order:   []string{"aș dori să comand o cafea", "pot să iau un ceai", "un cappuccino vă rog", "vreau să fac o comandă"},
			hours:   []string{"la ce oră deschideți", "care este programul de lucru", "sunteți deschiși duminica", "până la ce oră sunteți deschiși"},
			bye:     []string{"la revedere", "pa", "o zi bună", "ne vedem"},
			queries: map[string]string{"două comenzi vă rog": "order", "programul de sâmbătă": "hours", "la revedere și o zi bună": "bye"},
		},
		"turkish": {
			order:   []string{"bir kahve sipariş etmek istiyorum", "bir çay alabilir miyim", "bir kapuçino lütfen", "sipariş vermek istiyorum"},
			hours:   []string{"saat kaçta açılıyorsunuz", "çalışma saatleriniz nedir", "pazar günü açık mısınız", "saat kaça kadar açıksınız"},
			bye:     []string{"hoşça kal", "görüşürüz", "iyi günler", "güle güle"},
			queries: map[string]string{"iki siparişler lütfen": "order", "cumartesi çalışma saatleri": "hours", "hoşça kal görüşürüz": "bye"},
		},
		"greek": {
			order:   []string{"θέλω να παραγγείλω έναν καφέ", "μπορώ να έχω ένα τσάι", "έναν καπουτσίνο παρακαλώ", "θέλω να κάνω μια παραγγελία"},
			hours:   []string{"τι ώρα ανοίγετε", "ποιες είναι οι ώρες λειτουργίας", "είστε ανοιχτά την Κυριακή", "μέχρι τι ώρα είστε ανοιχτά"},
			bye:     []string{"αντίο", "γεια σας", "καλή σας μέρα", "τα λέμε"},
			queries: map[string]string{"δύο καφέδες παρακαλώ": "order", "ώρες λειτουργίας το Σάββατο": "hours", "αντίο τα λέμε": "bye", "είστε ανοιχτοί το Σάββατο": "hours"},
		},
		"armenian": {
			order:   []string{"ուզում եմ սուրճ պատվիրել", "կարող եմ թեյ ստանալ", "մեկ կապուչինո, խնդրում եմ", "ուզում եմ պատվեր տալ"},
			hours:   []string{"ժամը քանիսին եք բացվում", "որոնք են ձեր աշխատանքային ժամերը", "կիրակի բաց եք", "մինչև ժամը քանիսն եք բաց"},
			bye:     []string{"ցտեսություն", "հաջողություն", "բարի օր", "կհանդիպենք"},
			queries: map[string]string{"երկու պատվերներ, խնդրում եմ": "order", "աշխատանքային ժամերը շաբաթ օրը": "hours", "ցտեսություն, կհանդիպենք": "bye", "կիրակի բա՞ց եք": "hours"},
		},
		"basque": {
			order:   []string{"kafe bat eskatu nahi dut", "te bat har dezaket", "kaputxino bat mesedez", "eskaera bat egin nahi dut"},
			hours:   []string{"zer ordutan irekitzen duzue", "zein da ordutegia", "igandean irekita zaudete", "zer ordura arte zaudete irekita"},
			bye:     []string{"agur", "gero arte", "egun on izan", "laster arte"},
			queries: map[string]string{"bi kafeak mesedez": "order", "ordutegiak larunbatean": "hours", "agur eta gero arte": "bye"},
		},
		"catalan": {
			order:   []string{"vull demanar un cafè", "puc prendre un te", "un caputxino, si us plau", "vull fer una comanda"},
			hours:   []string{"a quina hora obriu", "quin és l'horari d'obertura", "obriu els diumenges", "fins a quina hora esteu oberts"},
			bye:     []string{"adéu", "fins aviat", "que tingueu un bon dia", "a reveure"},
			queries: map[string]string{"dues comandes, si us plau": "order", "horaris del dissabte": "hours", "adéu i fins aviat": "bye"},
		},
		"hindi": {
			order:   []string{"मुझे एक कॉफ़ी ऑर्डर करनी है", "क्या मुझे एक चाय मिल सकती है", "एक कैपुचीनो दीजिए", "मैं ऑर्डर देना चाहता हूँ"},
			hours:   []string{"आप कितने बजे खुलते हैं", "दुकान का समय क्या है", "क्या आप रविवार को खुले हैं", "आप कब तक खुले रहते हैं"},
			bye:     []string{"अलविदा", "फिर मिलेंगे", "आपका दिन शुभ हो", "शुभ रात्रि"},
			queries: map[string]string{"दो ऑर्डरों के लिए": "order", "शनिवार को दुकानें कब खुलती हैं": "hours", "अलविदा, फिर मिलेंगे": "bye"},
		},
		"indonesian": {
			order:   []string{"saya mau pesan kopi", "boleh saya minta teh", "satu cappuccino tolong", "saya ingin membuat pesanan"},
			hours:   []string{"jam berapa kalian buka", "apa jam operasionalnya", "apakah buka hari minggu", "sampai jam berapa kalian buka"},
			bye:     []string{"sampai jumpa", "selamat tinggal", "semoga harimu menyenangkan", "dadah"},
			queries: map[string]string{"saya ingin memesan dua kopi": "order", "dibuka hari sabtu": "hours", "selamat tinggal dan sampai jumpa": "bye"},
		},
		"lithuanian": {
			order:   []string{"norėčiau užsisakyti kavos", "ar galiu gauti arbatos", "vieną kapučino prašau", "noriu pateikti užsakymą"},
			hours:   []string{"kada atidarote", "koks jūsų darbo laikas", "ar dirbate sekmadienį", "iki kelių valandų dirbate"},
			bye:     []string{"viso gero", "iki pasimatymo", "geros dienos", "sudie"},
			queries: map[string]string{"du užsakymai prašau": "order", "darbo valandos šeštadienį": "hours", "viso gero ir geros dienos": "bye"},
		},
		"nepali": {
			order:   []string{"मलाई एक कप कफी चाहियो", "के म चिया पाउन सक्छु", "एउटा क्यापुचिनो दिनुहोस्", "म अर्डर गर्न चाहन्छु"},
			hours:   []string{"तपाईंहरू कति बजे खुल्नुहुन्छ", "पसल खुल्ने समय के हो", "के आइतबार पसल खुला हुन्छ", "कति बजेसम्म खुला रहन्छ"},
			bye:     []string{"नमस्ते", "फेरि भेटौंला", "शुभ दिन", "बिदा"},
			queries: map[string]string{"दुई वटा अर्डरहरू": "order", "शनिबार पसलमा खुल्ने समय": "hours", "फेरि भेटौंला, नमस्ते": "bye"},
		},
		"serbian": {
			order:   []string{"želim da naručim kafu", "mogu li dobiti čaj", "jedan kapućino molim", "hteo bih da napravim porudžbinu"},
			hours:   []string{"kada otvarate", "koje je vaše radno vreme", "da li radite nedeljom", "do koliko sati radite"},
			bye:     []string{"doviđenja", "vidimo se", "prijatan dan", "laku noć"},
			queries: map[string]string{"две кафе, молим": "order", "радно време суботом": "hours", "doviđenja i vidimo se": "bye"},
		},
		"yiddish": {
			order:   []string{"איך װיל באַשטעלן אַ קאַווע", "קען איך באַקומען אַ טיי", "אַ קאַפּוטשינאָ, ביטע", "איך װיל מאַכן אַ באַשטעלונג"},
			hours:   []string{"װען עפֿנט איר", "װאָס זענען אײַערע עפֿן שעהען", "זענט איר אָפֿן זונטיק", "ביז װען זענט איר אָפֿן"},
			bye:     []string{"זײַ געזונט", "אַ גוטן טאָג", "ביז שפּעטער", "אַ גוטע נאַכט"},
			queries: map[string]string{"צװײ באַשטעלונגען, ביטע": "order", "עפֿן שעהען שבת": "hours", "זײַ געזונט, ביז שפּעטער": "bye"},
		},
		"polish": {
			order:   []string{"chcę zamówić kawę", "czy mogę dostać herbatę", "jedno cappuccino proszę", "chcę złożyć zamówienie"},
			hours:   []string{"o której otwieracie", "jakie są godziny otwarcia", "czy jesteście otwarci w niedzielę", "do której jesteście otwarci"},
			bye:     []string{"do widzenia", "cześć", "miłego dnia", "na razie"},
			queries: map[string]string{"dwie kawy proszę": "order", "godziny otwarcia w sobotę": "hours", "do widzenia i miłego dnia": "bye"},
		},
		"estonian": {
			order:   []string{"ma tahaksin tellida kohvi", "kas ma saaksin teed", "üks cappuccino palun", "tahan teha tellimuse"},
			hours:   []string{"mis kell te avate", "millised on lahtiolekuajad", "kas te olete pühapäeval avatud", "mis kellani te avatud olete"},
			bye:     []string{"head aega", "nägemist", "ilusat päeva", "kohtumiseni"},
			queries: map[string]string{"kaks kohvi palun": "order", "lahtiolekuaeg laupäeval": "hours", "head aega ja ilusat päeva": "bye"},
		},
		"esperanto": {
			order:   []string{"mi ŝatus mendi kafon", "ĉu mi povas ricevi teon", "unu kapuĉinon, mi petas", "mi volas fari mendon"},
			hours:   []string{"kiam vi malfermas", "kiuj estas viaj malfermaj horoj", "ĉu vi estas malfermitaj dimanĉe", "ĝis kioma horo vi estas malfermitaj"},
			bye:     []string{"ĝis revido", "adiaŭ", "bonan tagon", "ĝis baldaŭ"},
			queries: map[string]string{"du kafojn, mi petas": "order", "malfermaj horoj sabate": "hours", "ĝis revido kaj bonan tagon": "bye"},
		},
		"sesotho": {
			order:   []string{"ke batla ho reka kofi", "na nka fumana tee", "kopi e le nngwe ka kopo", "ke batla ho etsa odara"},
			hours:   []string{"le bula ka nako mang", "dihora tsa ho bula ke dife", "na le butse ka Sontaha", "le kwala ka nako mang"},
			bye:     []string{"sala hantle", "tsamaya hantle", "re tla bonana", "letsatsi le monate"},
			queries: map[string]string{"ke rekile kofi": "order", "dihora tsa ho bula Moqebelo": "hours", "sala hantle, re tla bonana": "bye"},
		},
	}
	for lang, b := range bots {
		t.Run(lang, func(t *testing.T) {
			var exs []nlu.Example
			for label, ps := range map[string][]string{"order": b.order, "hours": b.hours, "bye": b.bye} {
				for _, p := range ps {
					exs = append(exs, nlu.Example{Label: label, Text: p})
				}
			}
			m := train(t, exs, nlu.WithLanguage(lang))
			for q, want := range b.queries {
				if got := top(m.Predict(q, nlu.Set{})); got.Label != want || got.Score < 0.5 {
					t.Errorf("%q: got %+v, want %s at 0.5 or more", q, got, want)
				}
			}
		})
	}
}

// TestLaterStemmerBots trains a bot of six interactions in each language
// whose stemmer Snowball 3.x added that Parley stems, and checks what stemming brings: an
// inflected rewording of a training phrase ("rezerwacji stolików" for
// "rezerwacja stolika") is that phrase once stemmed and scores 1, which
// it does not unstemmed (the same bot in a language without a stemmer);
// and an inflected word that only the stemmer ties to its interaction
// ("kawy", of coffee, for "kawę") goes there at 0.5 or more, where the
// unstemmed bot sends it elsewhere or refuses it.
func TestLaterStemmerBots(t *testing.T) {
	type bot struct {
		interactions map[string][]string
		same         map[string]string // inflected rewording → its interaction
		onlyStemmed  map[string]string // inflected query → its interaction
	}
	bots := map[string]bot{
		"polish": {
			interactions: map[string][]string{
				"order":   {"chcę zamówić kawę", "złożyć zamówienie"},
				"book":    {"zarezerwować stolik", "rezerwacja stolika"},
				"deliver": {"dostawa do domu", "czy robicie dostawy"},
				"pay":     {"płatność kartą", "jak mogę zapłacić"},
				"hours":   {"godziny otwarcia", "kiedy jesteście otwarci"},
				"bye":     {"do widzenia", "na razie"},
			},
			same:        map[string]string{"rezerwacji stolików": "book", "godzinach otwarcia": "hours"},
			onlyStemmed: map[string]string{"kawy": "order"},
		},
		"estonian": {
			interactions: map[string][]string{
				"order":   {"tahan tellida kohvi", "teha tellimus"},
				"book":    {"broneerida laud", "laua broneering"},
				"deliver": {"kohaletoimetamine koju", "kas teete kohaletoimetamist"},
				"pay":     {"maksmine kaardiga", "kuidas saan maksta"},
				"hours":   {"lahtiolekuajad", "millal olete avatud"},
				"bye":     {"head aega", "nägemist"},
			},
			same: map[string]string{"maksmist kaardiga": "pay", "teha tellimust": "order"},
		},
		"esperanto": {
			interactions: map[string][]string{
				"order":   {"mi volas mendi kafon", "fari mendon"},
				"book":    {"rezervi tablon", "rezervado de tablo"},
				"deliver": {"livero hejmen", "ĉu vi liveras"},
				"pay":     {"pago per karto", "kiel mi povas pagi"},
				"hours":   {"malfermaj horoj", "kiam vi estas malfermitaj"},
				"bye":     {"ĝis revido", "adiaŭ"},
			},
			same: map[string]string{"rezervis tablon": "book", "pagis per karto": "pay"},
		},
		"sesotho": {
			interactions: map[string][]string{
				"order":   {"ke batla ho reka kofi", "ho etsa odara"},
				"book":    {"ho boloka tafole", "tafole bakeng sa babedi"},
				"deliver": {"ho isa hae", "na le isa dijo"},
				"pay":     {"ke lefa ka karete", "nka lefa jwang"},
				"hours":   {"dihora tsa ho bula", "le bula neng"},
				"bye":     {"sala hantle", "re tla bonana"},
			},
			same:        map[string]string{"ke lefile ka karete": "pay"},
			onlyStemmed: map[string]string{"lefisa": "pay"},
		},
		"czech": {
			interactions: map[string][]string{
				"order":   {"chci objednat kávu", "udělat objednávku"},
				"book":    {"rezervovat stůl", "rezervace stolu"},
				"deliver": {"doručení domů", "děláte rozvoz"},
				"pay":     {"platba kartou", "jak můžu zaplatit"},
				"hours":   {"otevírací doba", "kdy máte otevřeno"},
				"bye":     {"na shledanou", "mějte se"},
			},
			same:        map[string]string{"rezervaci stolu": "book", "platbou kartou": "pay", "otevírací dobu": "hours"},
			onlyStemmed: map[string]string{"kávy": "order"},
		},
		"persian": {
			interactions: map[string][]string{
				"order":   {"می‌خواهم قهوه سفارش بدهم", "ثبت سفارش"},
				"book":    {"رزرو میز", "یک میز برای دو نفر"},
				"deliver": {"ارسال به خانه", "آیا پیک دارید"},
				"pay":     {"پرداخت با کارت", "چطور پرداخت کنم"},
				"hours":   {"ساعت کاری", "کی باز هستید"},
				"bye":     {"خداحافظ", "روز خوبی داشته باشید"},
			},
			// Plurals with and without the zero-width non-joiner, in
			// Arabic letters too (kaf U+0643, yeh U+064A).
			same: map[string]string{"ثبت سفارش‌ها": "order", "رزرو ميزها": "book", "ساعتهای کاری": "hours",
				"پرداخت با كارتها": "pay", "ثبت سفارشات": "order"},
		},
	}
	for lang, b := range bots {
		t.Run(lang, func(t *testing.T) {
			var exs []nlu.Example
			for label, ps := range b.interactions {
				for _, p := range ps {
					exs = append(exs, nlu.Example{Label: label, Text: p})
				}
			}
			stemmed := train(t, exs, nlu.WithLanguage(lang))
			unstemmed := train(t, exs, nlu.WithLanguage("latvian"))
			for q, want := range b.same {
				if got := top(stemmed.Predict(q, nlu.Set{})); got.Label != want || got.Score != 1 {
					t.Errorf("%q: got %+v, want %s at 1", q, got, want)
				}
				if got := top(unstemmed.Predict(q, nlu.Set{})); got.Score >= 1 {
					t.Errorf("%q unstemmed: got %+v, want less than 1", q, got)
				}
			}
			for q, want := range b.onlyStemmed {
				if got := top(stemmed.Predict(q, nlu.Set{})); got.Label != want || got.Score < 0.5 {
					t.Errorf("%q: got %+v, want %s at 0.5 or more", q, got, want)
				}
				if got := top(unstemmed.Predict(q, nlu.Set{})); got.Label == want && got.Score >= 0.5 {
					t.Errorf("%q unstemmed: got %+v, want another interaction or less than 0.5", q, got)
				}
			}
		})
	}
}

// TestPersianWriting checks that the ways Persian is typed reach one
// stem: the zero-width non-joiner of "می‌خواهم" (I want) and
// "کتاب‌ها" (books) is kept inside the word and dropped, so the word
// typed without it is the same word; Arabic yeh and kaf (U+064A, U+0643),
// which Arabic keyboards type, are read as Persian ye and kaf
// (U+06CC, U+06A9).
func TestPersianWriting(t *testing.T) {
	if got := nlu.Tokenize("می‌خواهم کتاب‌ها را"); len(got) != 3 || got[0].Text != "میخواهم" || got[1].Text != "کتابها" {
		t.Errorf("Tokenize: got %+v, want 3 tokens, میخواهم and کتابها first", got)
	}
	m := train(t, []nlu.Example{
		{Label: "order", Text: "می‌خواهم قهوه سفارش بدهم"},
		{Label: "order", Text: "ثبت سفارش"},
		{Label: "books", Text: "کتاب‌های جدید دارید"},
		{Label: "books", Text: "کتاب می‌فروشید"},
		{Label: "bye", Text: "خداحافظ"},
	}, nlu.WithLanguage("fa"))
	for q, want := range map[string]string{
		"میخواهم قهوه سفارش بدهم":  "order", // without the non-joiner
		"مي‌خواهم قهوه سفارش بدهم": "order", // Arabic yeh
		"كتابهای جديد داريد":       "books", // Arabic kaf and yeh, no non-joiner
		"کتاب‌ها جدید دارید":       "books", // another plural
		"كتاب مي‌فروشيد":           "books",
		"ثبت سفارش‌ها":             "order",
	} {
		if got := top(m.Predict(q, nlu.Set{})); got.Label != want || got.Score != 1 {
			t.Errorf("%q: got %+v, want %s at 1", q, got, want)
		}
	}
}
