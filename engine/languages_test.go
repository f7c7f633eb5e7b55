package engine_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parleybot/parley/engine"
	"github.com/parleybot/parley/nlu"
	"github.com/parleybot/parley/store"
	"github.com/parleybot/parley/store/badgerstore"
	"github.com/parleybot/parley/story"
)

// A kiosk that speaks English, German and French: phrases and responses
// per language, numbers and yes or no read in the turn's language.
const multilingualBot = `
settings: {language: english, languages: [german, french]}
stories:
  - name: Bakery
    interactions:
      - name: Welcome
        role: start
        responses:
          - {text: "Hello!"}
          - {text: "Hallo!", language: german}
          - {text: "Bonjour !", language: french}
      - name: Rolls
        says:
          english: [i would like some rolls, can i have bread rolls, rolls please]
          german: [ich möchte Brötchen, Brötchen bitte, kann ich Brötchen haben]
          french: [je voudrais des petits pains, des petits pains s'il vous plaît]
        parameters:
          - {name: count, entity: sys.integer, required: true, prompts: ["How many?"]}
          - {name: bag, entity: sys.yes-no, required: true, prompts: ["A bag?"]}
        responses:
          - {text: "{{count}} rolls, bag: {{bag}}."}
          - {text: "{{count}} Brötchen, Tüte: {{bag}}.", language: german}
      - name: Hours
        says: [when are you open, opening hours]
        responses: [{text: "From 7 to 18."}]
      - name: Else
        role: else
        says:
          english: [what's the weather]
          german: [wie ist das Wetter]
        responses:
          - {text: "Sorry?"}
          - {text: "Wie bitte?", language: german}
          - {text: "Pardon ?", language: french}
`

func TestLanguages(t *testing.T) {
	bot := loadModelBot(t, multilingualBot)
	if got := strings.Join(bot.Settings.Languages, " "); got != "english german french" {
		t.Fatalf("languages: got %q", got)
	}
	db, err := badgerstore.Open("", badgerstore.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := engine.New(db, bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.CreateUser(ctx, store.User{UserID: "marie", Attributes: map[string]string{"default_language": "fr-CA"}}); err != nil {
		t.Fatal(err)
	}
	type turn struct{ lang, user, query, want string }
	tests := []struct {
		name  string
		turns []turn
	}{
		{"Default", []turn{
			{"", "", "rolls please", "How many?"},
			{"", "", "twenty-two", "A bag?"},
			{"", "", "no thanks", "22 rolls, bag: no."},
		}},
		{"Request", []turn{
			{"de", "", "kann ich bitte Brötchen haben", "How many?"},
			{"de", "", "zweiundzwanzig", "A bag?"},
			{"de", "", "ja, gerne", "22 Brötchen, Tüte: yes."},
		}},
		// No German phrases for Hours: the default language's match.
		{"RequestDefaultPhrases", []turn{{"german", "", "opening hours", "From 7 to 18."}}},
		{"RequestFallback", []turn{{"german", "", "wie wird das Wetter", "Wie bitte?"}}},
		// No French response for Rolls: the default language's.
		{"User", []turn{
			{"", "marie", "je voudrais des petits pains", "How many?"},
			{"", "marie", "vingt et un", "A bag?"},
			{"", "marie", "oui bien sûr", "21 rolls, bag: yes."},
		}},
		{"RequestOverUser", []turn{{"de", "marie", "Brötchen bitte", "How many?"}, {"de", "marie", "drei", "A bag?"}}},
		{"Unknown", []turn{{"tlh", "", "rolls please", "How many?"}}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sid := fmt.Sprintf("language-session-%02d", i)
			for _, tu := range tc.turns {
				resp, err := e.Chat(ctx, engine.Request{SessionID: sid, UserID: tu.user, Language: tu.lang, Query: tu.query})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, f := range resp.Result.Fulfillment {
					got = append(got, f.Message)
				}
				if strings.Join(got, " | ") != tu.want {
					t.Errorf("%s %q: got %q, want %q", tu.lang, tu.query, got, tu.want)
				}
			}
		})
	}
	// The welcome in each language.
	for lang, want := range map[string]string{"": "Hello!", "de": "Hallo!", "fr": "Bonjour !"} {
		resp, err := e.Chat(ctx, engine.Request{SessionID: "welcome-session-" + lang + "x", Language: lang, Trigger: "welcome"})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Result.Fulfillment; len(got) != 1 || got[0].Message != want {
			t.Errorf("welcome in %q: got %+v, want %q", lang, got, want)
		}
	}
	// A compiled model holds every language's matcher.
	model, err := engine.BuildModel(bot)
	if err != nil {
		t.Fatal(err)
	}
	m, logged := modelEngine(t, bot, model)
	if strings.Contains(logged, "WARN") {
		t.Errorf("log: %s", logged)
	}
	resp, err := m.Chat(ctx, engine.Request{SessionID: "model-language-01", Language: "de", Query: "Brötchen bitte"})
	if err != nil || resp.Result.Interaction.Name != "Rolls" {
		t.Errorf("with the model: got %+v, %v; want Rolls", resp.Result.Interaction, err)
	}
	if _, err := e.Chat(ctx, engine.Request{SessionID: "language-long-01", Language: strings.Repeat("x", 65), Query: "hi"}); err == nil || !strings.Contains(err.Error(), "language") {
		t.Errorf("a long language: got %v, want an error naming language", err)
	}
}

// TestSnowballLanguages runs a bot that speaks, by their ISO 639-1 codes,
// the languages whose stemmers came with Snowball 2.2.0: each turn's
// language stems its inflected paraphrase onto a training phrase's words
// ("καφέδες" onto "καφέ"), and reads yes or no in it. story and nlu name
// the same stemmed languages and read their codes alike.
func TestSnowballLanguages(t *testing.T) {
	if !slices.Equal(story.Languages, nlu.Languages) {
		t.Errorf("story.Languages %q, nlu.Languages %q: want the same", story.Languages, nlu.Languages)
	}
	type lang struct {
		order, hours []string
		query        string // an inflected paraphrase of an order
		yes, no      string
	}
	langs := map[string]lang{
		"ar": {[]string{"أريد أن أطلب قهوة", "كابتشينو واحد من فضلك", "أريد تقديم طلب"},
			[]string{"متى تفتحون", "ما هي ساعات العمل", "هل أنتم مفتوحون يوم الأحد"},
			"أريد طلب القهوة من فضلك", "نعم، بالتأكيد", "لا، شكرا"},
		"el": {[]string{"θέλω να παραγγείλω έναν καφέ", "έναν καπουτσίνο παρακαλώ", "θέλω να κάνω μια παραγγελία"},
			[]string{"τι ώρα ανοίγετε", "ποιες είναι οι ώρες λειτουργίας", "είστε ανοιχτά την Κυριακή"},
			"δύο καφέδες παρακαλώ", "ναι, φυσικά", "όχι ευχαριστώ"},
		"hy": {[]string{"ուզում եմ սուրճ պատվիրել", "մեկ կապուչինո, խնդրում եմ", "ուզում եմ պատվեր տալ"},
			[]string{"ժամը քանիսին եք բացվում", "որոնք են ձեր աշխատանքային ժամերը", "կիրակի բաց եք"},
			"երկու պատվերներ, խնդրում եմ", "այո, իհարկե", "ոչ, շնորհակալություն"},
		"eu": {[]string{"kafe bat eskatu nahi dut", "kaputxino bat mesedez", "eskaera bat egin nahi dut"},
			[]string{"zer ordutan irekitzen duzue", "zein da ordutegia", "igandean irekita zaudete"},
			"bi kafeak mesedez", "bai, noski", "ez, eskerrik asko"},
		"ca": {[]string{"vull demanar un cafè", "un caputxino, si us plau", "vull fer una comanda"},
			[]string{"a quina hora obriu", "quin és l'horari d'obertura", "obriu els diumenges"},
			"dues comandes, per favor", "sí, és clar", "no, gràcies"},
		"hi": {[]string{"मुझे एक कॉफ़ी ऑर्डर करनी है", "एक कैपुचीनो दीजिए", "मैं ऑर्डर देना चाहता हूँ"},
			[]string{"आप कितने बजे खुलते हैं", "दुकान का समय क्या है", "क्या आप रविवार को खुले हैं"},
			"दो ऑर्डरों के लिए", "जी हाँ, ज़रूर", "नहीं, धन्यवाद"},
		"id": {[]string{"saya mau pesan kopi", "satu cappuccino tolong", "saya ingin membuat pesanan"},
			[]string{"jam berapa kalian buka", "apa jam operasionalnya", "apakah buka hari minggu"},
			"saya ingin memesan dua kopi", "iya, boleh", "tidak usah, terima kasih"},
		"lt": {[]string{"norėčiau užsisakyti kavos", "vieną kapučino prašau", "noriu pateikti užsakymą"},
			[]string{"kada atidarote", "koks jūsų darbo laikas", "ar dirbate sekmadienį"},
			"du užsakymai prašau", "taip, žinoma", "ne, ačiū"},
		"ne": {[]string{"मलाई एक कप कफी चाहियो", "एउटा क्यापुचिनो दिनुहोस्", "म अर्डर गर्न चाहन्छु"},
			[]string{"तपाईंहरू कति बजे खुल्नुहुन्छ", "पसल खुल्ने समय के हो", "के आइतबार पसल खुला हुन्छ"},
			"दुई वटा अर्डरहरू", "हजुर, हुन्छ", "पर्दैन, धन्यवाद"},
		"sr": {[]string{"želim da naručim kafu", "jedan kapućino molim", "hteo bih da napravim porudžbinu"},
			[]string{"kada otvarate", "koje je vaše radno vreme", "da li radite nedeljom"},
			"две кафе, молим", "може, наравно", "ne hvala"},
		"ta": {[]string{"எனக்கு ஒரு காபி வேண்டும்", "ஒரு கப்புசினோ கொடுங்கள்", "நான் ஆர்டர் செய்ய விரும்புகிறேன்"},
			[]string{"நீங்கள் எத்தனை மணிக்கு திறப்பீர்கள்", "கடை நேரம் என்ன", "ஞாயிற்றுக்கிழமை கடை திறந்திருக்குமா"},
			"இரண்டு காபிகள் வேண்டும்", "ஆம், கண்டிப்பாக", "இல்லை, நன்றி"},
		"ga": {[]string{"ba mhaith liom caife a ordú", "cappuccino amháin, le do thoil", "ba mhaith liom ordú a dhéanamh"},
			[]string{"cén t-am a osclaíonn sibh", "cad iad na huaireanta oscailte", "an bhfuil sibh oscailte ar an Domhnach"},
			"dhá chaife, le do thoil", "is ea, go cinnte", "ní hea, go raibh maith agat"},
		"yi": {[]string{"איך װיל באַשטעלן אַ קאַווע", "אַ קאַפּוטשינאָ, ביטע", "איך װיל מאַכן אַ באַשטעלונג"},
			[]string{"װען עפֿנט איר", "װאָס זענען אײַערע עפֿן שעהען", "זענט איר אָפֿן זונטיק"},
			"צװײ באַשטעלונגען, ביטע", "יאָ, אַוודאי", "ניין, אַ דאַנק"},
	}
	var codes []string
	for code := range langs {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var order, hours strings.Builder
	for _, code := range codes {
		fmt.Fprintf(&order, "          %s: [%s]\n", code, quoteAll(langs[code].order))
		fmt.Fprintf(&hours, "          %s: [%s]\n", code, quoteAll(langs[code].hours))
	}
	src := fmt.Sprintf(`
settings: {language: %s, languages: [%s]}
stories:
  - name: Cafe
    interactions:
      - {name: Welcome, role: start, responses: [{text: "☕"}]}
      - name: Order
        says:
%s        parameters:
          - {name: bag, entity: sys.yes-no, required: true, prompts: ["🛍️?"]}
        responses: [{text: "bag: {{bag}}"}]
      - name: Hours
        says:
%s        responses: [{text: "7–18"}]
      - {name: Else, role: else, responses: [{text: "?"}]}
`, codes[0], strings.Join(codes[1:], ", "), order.String(), hours.String())
	bot := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(src)}})
	for _, code := range codes {
		if !slices.Contains(bot.Settings.Languages, nlu.LanguageName(code)) {
			t.Errorf("%s: the bot's languages %q lack %s", code, bot.Settings.Languages, nlu.LanguageName(code))
		}
	}
	e, err := engine.New(openMemory(t), bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, code := range codes {
		l := langs[code]
		for _, answer := range []struct{ text, want string }{{l.yes, "bag: yes"}, {l.no, "bag: no"}} {
			sid := "snowball-" + code + "-" + answer.want[5:]
			for _, tu := range []struct{ query, want string }{{l.query, "🛍️?"}, {answer.text, answer.want}} {
				resp, err := e.Chat(ctx, engine.Request{SessionID: sid, Language: code, Query: tu.query})
				if err != nil {
					t.Fatal(err)
				}
				if f := resp.Result.Fulfillment; len(f) != 1 || f[0].Message != tu.want {
					t.Errorf("%s %q: got %+v (%s, %.2f), want %q", code, tu.query, f, resp.Result.Interaction.Name, resp.Result.Score, tu.want)
				}
			}
		}
	}
}

// quoteAll quotes each phrase as a YAML double-quoted string.
func quoteAll(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = strconv.Quote(p)
	}
	return strings.Join(q, ", ")
}

// TestUnstemmedLanguages runs a bot that speaks, by their ISO 639-1 codes,
// the languages without a stemmer whose numbers, yes and no Parley reads:
// each order names its number in words, inside the words of a text in
// Chinese, Japanese and Thai, and the answer to a question is yes or no in
// the turn's language.
func TestUnstemmedLanguages(t *testing.T) {
	type lang struct {
		order         []string
		query, number string // an order with a number in words, and the number
		yes, no       string
	}
	langs := map[string]lang{
		"zh": {[]string{"我要两杯咖啡", "来一杯咖啡", "我想点咖啡"}, "我要三杯咖啡", "3", "好的，谢谢", "不用了"},
		"ja": {[]string{"コーヒーを二杯ください", "コーヒーを一杯ください", "コーヒーを注文したい"}, "コーヒーを三杯ください", "3", "はい、お願いします", "いいえ、結構です"},
		"ko": {[]string{"커피 두 잔 주세요", "커피 한 잔 주세요", "커피 주문할게요"}, "커피 세 잔 주세요", "3", "네, 좋아요", "아니요, 괜찮아요"},
		"he": {[]string{"אני רוצה שתי כוסות קפה", "כוס קפה אחת בבקשה", "אני רוצה להזמין קפה"}, "אני רוצה שלוש כוסות קפה", "3", "כן, בבקשה", "לא, תודה"},
		"uk": {[]string{"дві кави, будь ласка", "одну каву, будь ласка", "хочу замовити каву"}, "три кави, будь ласка", "3", "так, звісно", "ні, дякую"},
		"cs": {[]string{"dvě kávy, prosím", "jednu kávu, prosím", "chci si objednat kávu"}, "tři kávy, prosím", "3", "ano, prosím", "ne, díky"},
		"bg": {[]string{"две кафета, моля", "едно кафе, моля", "искам да поръчам кафе"}, "три кафета, моля", "3", "да, разбира се", "не, благодаря"},
		"vi": {[]string{"cho tôi hai ly cà phê", "cho tôi một ly cà phê", "tôi muốn gọi cà phê"}, "cho tôi ba ly cà phê", "3", "vâng", "không, cảm ơn"},
		"th": {[]string{"ขอกาแฟสองแก้ว", "ขอกาแฟหนึ่งแก้ว", "อยากสั่งกาแฟ"}, "ขอกาแฟสามแก้ว", "3", "ใช่ครับ", "ไม่เอาครับ"},
	}
	var codes []string
	for code := range langs {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var order strings.Builder
	for _, code := range codes {
		fmt.Fprintf(&order, "          %s: [%s]\n", code, quoteAll(langs[code].order))
	}
	src := fmt.Sprintf(`
settings: {language: %s, languages: [%s]}
stories:
  - name: Cafe
    interactions:
      - {name: Welcome, role: start, responses: [{text: "☕"}]}
      - name: Order
        says:
%s        parameters:
          - {name: cups, entity: sys.integer, required: true, prompts: ["#?"]}
          - {name: bag, entity: sys.yes-no, required: true, prompts: ["🛍️?"]}
        responses: [{text: "cups: {{cups}}, bag: {{bag}}"}]
      - {name: Else, role: else, responses: [{text: "?"}]}
`, codes[0], strings.Join(codes[1:], ", "), order.String())
	bot := loadBot(t, fstest.MapFS{"bot.yaml": {Data: []byte(src)}})
	for _, code := range codes {
		if !slices.Contains(bot.Settings.Languages, nlu.LanguageName(code)) {
			t.Errorf("%s: the bot's languages %q lack %s", code, bot.Settings.Languages, nlu.LanguageName(code))
		}
	}
	e, err := engine.New(openMemory(t), bot)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, code := range codes {
		l := langs[code]
		for _, answer := range []struct{ text, bag string }{{l.yes, "yes"}, {l.no, "no"}} {
			sid := "unstemmed-" + code + "-" + answer.bag
			want := "cups: " + l.number + ", bag: " + answer.bag
			for _, tu := range []struct{ query, want string }{{l.query, "🛍️?"}, {answer.text, want}} {
				resp, err := e.Chat(ctx, engine.Request{SessionID: sid, Language: code, Query: tu.query})
				if err != nil {
					t.Fatal(err)
				}
				if f := resp.Result.Fulfillment; len(f) != 1 || f[0].Message != tu.want {
					t.Errorf("%s %q: got %+v (%s, %.2f), want %q", code, tu.query, f, resp.Result.Interaction.Name, resp.Result.Score, tu.want)
				}
			}
		}
	}
}

// TestLanguageCodesAgree checks that story and nlu, which each keep a
// table of ISO 639-1 codes, read every two-letter code, alone and with a
// region, as the same language: a bot file's language is the one its
// matcher is built for.
func TestLanguageCodesAgree(t *testing.T) {
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			for _, code := range []string{string(a) + string(b), string(a) + string(b) + "-XX"} {
				src := "settings: {language: " + code + "}\nstories:\n  - name: S\n    interactions:\n      - {name: W, role: start, responses: [{text: hi}]}\n      - {name: E, role: else, responses: [{text: no}]}\n"
				bot, err := story.Load(fstest.MapFS{"bot.yaml": {Data: []byte(src)}}, "bot.yaml")
				if err != nil {
					t.Fatalf("%s: %v", code, err)
				}
				if got, want := bot.Settings.Language, nlu.LanguageName(code); got != want {
					t.Errorf("%s: story reads %q, nlu %q", code, got, want)
				}
			}
		}
	}
}
