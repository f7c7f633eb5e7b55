package nlu

import (
	"slices"
	"testing"
)

// TestElision checks that French, Italian and Catalan words are matched
// without the article, pronoun or preposition elided before them, and that
// the token starts where the word does; and that an Indonesian word written
// twice is read once, its token spanning both.
func TestElision(t *testing.T) {
	cases := []struct {
		lang, text string
		words      []string // the tokens' texts
		spans      []string // what each token covers in text
	}{
		{"french", "Ça ne m'aide pas", []string{"ça", "ne", "aide", "pas"}, []string{"Ça", "ne", "aide", "pas"}},
		{"french", "L'adresse de vos créateurs", []string{"adresse", "de", "vos", "créateurs"}, []string{"adresse", "de", "vos", "créateurs"}},
		{"french", "qu'est-ce qu'un compilateur", []string{"est", "ce", "un", "compilateur"}, []string{"est", "ce", "un", "compilateur"}},
		{"french", "J’attendrai jusqu’à demain", []string{"attendrai", "à", "demain"}, []string{"attendrai", "à", "demain"}},
		{"french", "tu travailles aujourd'hui", []string{"tu", "travailles", "aujourd'hui"}, []string{"tu", "travailles", "aujourd'hui"}},
		{"fr", "s'il vous plaît", []string{"il", "vous", "plaît"}, []string{"il", "vous", "plaît"}},
		{"italian", "nome dell'app", []string{"nome", "app"}, []string{"nome", "app"}},
		{"italian", "l'azienda dispone di altre app?", []string{"azienda", "dispone", "di", "altre", "app"}, []string{"azienda", "dispone", "di", "altre", "app"}},
		{"italian", "cos'altro sta sviluppando", []string{"cos'altro", "sta", "sviluppando"}, []string{"cos'altro", "sta", "sviluppando"}},
		{"english", "I don't want you", []string{"i", "don't", "want", "you"}, []string{"I", "don't", "want", "you"}},
		{"catalan", "L'home beu un got d'aigua", []string{"home", "beu", "un", "got", "aigua"}, []string{"home", "beu", "un", "got", "aigua"}},
		{"catalan", "m'agrada molt", []string{"agrada", "molt"}, []string{"agrada", "molt"}},
		{"ca", "n'hi ha prou, s’ha acabat", []string{"hi", "ha", "prou", "ha", "acabat"}, []string{"hi", "ha", "prou", "ha", "acabat"}},
		{"catalan", "t'estimo", []string{"estimo"}, []string{"estimo"}},
		{"catalan", "porta'l demà", []string{"porta'l", "demà"}, []string{"porta'l", "demà"}},
		{"spanish", "l'adreça", []string{"l'adreça"}, []string{"l'adreça"}},
		{"indonesian", "Aku benar-benar sendiri", []string{"aku", "benar", "sendiri"}, []string{"Aku", "benar-benar", "sendiri"}},
		{"id", "anak-anak membaca buku-buku", []string{"anak", "membaca", "buku"}, []string{"anak-anak", "membaca", "buku-buku"}},
		{"indonesian", "kamu membuang-buang waktu", []string{"kamu", "membuang", "waktu"}, []string{"kamu", "membuang-buang", "waktu"}},
		{"indonesian", "sayur-mayur segar", []string{"sayur", "mayur", "segar"}, []string{"sayur", "mayur", "segar"}},
		{"indonesian", "benar - benar", []string{"benar", "benar"}, []string{"benar", "benar"}},
		{"malay", "budak-budak", []string{"budak", "budak"}, []string{"budak", "budak"}},
	}
	for _, c := range cases {
		m := &Matcher{model: model{an: newAnalyzer(c.lang, nil)}}
		toks := m.tokens(nil, c.text, nil)
		var words, spans []string
		for _, tok := range toks {
			words = append(words, tok.Text)
			spans = append(spans, c.text[tok.Start:tok.End])
		}
		if !slices.Equal(words, c.words) || !slices.Equal(spans, c.spans) {
			t.Errorf("%s %q: words %q, spans %q; want %q, %q", c.lang, c.text, words, spans, c.words, c.spans)
		}
	}
}

// TestElisionMatch trains a bot on twelve intents of a public French
// corpus (nlp.js's Corpus 50, its own training phrases) and asks a test
// phrase of the corpus that went to the website, for its "adresse web",
// while the address's own phrases were read as "l'adresse".
func TestElisionMatch(t *testing.T) {
	intents := []struct {
		label   string
		phrases []string
	}{
		{"support.about", []string{"Que développe votre entreprise ?", "Votre entreprise a-t-elle d'autres produits ?", "Qu'est-ce que votre entreprise crée ?", "Qu'est-ce qu'elle crée votre entreprise", "Votre entreprise a-t-elle d'autres applications ?"}},
		{"support.app_name", []string{"what's the name of your application", "how's your app called", "tell me your app name", "name of the app", "I'd like to know the name of your app"}},
		{"support.beta", []string{"do you have a beta test?", "how I join your beta program?", "I want to test your app", "I want the application beta", "beta version"}},
		{"support.developers", []string{"qui est votre développeur", "qui a programmé votre code", "dis-moi qui est le développeur", "Qui est ton créateur", "Informations sur votre créateur"}},
		{"support.contact", []string{"Je veux contacter votre développeur", "Je veux contacter votre créateur", "Comment contacter le programmeur", "Donnez-moi des informations sur votre développeur", "Donnez-moi les coordonnées de votre créateur"}},
		{"support.adress", []string{"quelle est l'adresse de votre développeur", "où se trouve votre créateur", "Montrez-moi où est le bureau de votre développeur", "Je veux trouver l'adresse de votre entreprise", "Je veux l'adresse de votre bureau"}},
		{"support.email", []string{"comment envoyer un e-mail à votre développeur", "Je veux votre courrier de créateur", "comment puis-je obtenir votre e-mail", "Je veux contacter votre programmeur par email", "comment puis-je envoyer un e-mail à votre équipe ?"}},
		{"support.phone", []string{"donnez-moi votre numéro de téléphone de développeur", "Montre-moi ton numéro de programmeur", "comment vous contacter par téléphone", "avez-vous un numéro de téléphone?", "comment vous contacter par téléphone"}},
		{"support.social", []string{"avez-vous Facebook?", "Utilisez-vous Twitter?", "Je veux visiter votre instagram", "avez-vous des réseaux sociaux ?", "donne moi ton adresse facebook"}},
		{"support.website", []string{"Je veux visiter votre site Web", "Avez-vous un site internet?", "trouver votre adresse web", "donnez-moi votre URL", "ouvre moi ton site"}},
		{"support.live", []string{"ça n'aide pas", "Je ne te veux pas, je veux une vraie personne", "discuter avec un humain", "Mettez-moi en contact avec un agent", "Je veux parler avec quelqu'un de vrai"}},
		{"smalltalk.help", []string{"J'ai besoin d'aide", "aider", "J'ai besoin d'aide", "Pouvez-vous m'aider", "pouvez-vous m'aider"}},
		{"smalltalk.marry", []string{"nous devrions nous marier", "Je t'aime épouse moi", "Je veux t'épouser", "épouse-moi s'il te plaît", "voudriez-vous m'épouser?"}},
	}
	var ex []Example
	for _, in := range intents {
		for _, p := range in.phrases {
			ex = append(ex, Example{Label: in.label, Text: p})
		}
	}
	m, err := Train(ex, WithLanguage("french"))
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"Comment trouver votre adresse": "support.adress",
		"Ça ne m'aide pas":              "support.live",
	} {
		got := m.Predict(q, Set{})
		if len(got) == 0 || got[0].Label != want || got[0].Score < 0.5 {
			t.Errorf("%q: got %v, want %s at 0.5", q, got, want)
		}
	}
}

// TestElidedAndReduplicated checks that a Catalan message reads the same
// with and without the article elided before a word, and an Indonesian one
// the same with a word written twice or once.
func TestElidedAndReduplicated(t *testing.T) {
	cases := []struct {
		lang    string
		intents map[string][]string
		a, b    string // two messages that must score alike
	}{
		{"catalan", map[string][]string{
			"hours":   {"Horari d'obertura", "A quina hora obriu?", "Quan tanqueu?", "Obriu els diumenges?"},
			"price":   {"Quin és el preu?", "Quant costa l'entrada?", "Quin és el preu de l'entrada?", "Hi ha descomptes?"},
			"address": {"On sou?", "Quina és l'adreça del museu?", "Com hi arribo?"},
		}, "Quin és l’horari?", "Quin és horari?"},
		{"catalan", map[string][]string{
			"school": {"On és el col·legi?", "Horari del col·legi", "Vull inscriure el meu fill al col·legi"},
			"price":  {"Quin és el preu?", "Quant costa la matrícula?", "Hi ha beques?"},
		}, "a quina hora obre el col·legi", "a quina hora obre el collegi"},
		{"indonesian", map[string][]string{
			"lonely": {"Saya merasa kesepian", "Saya sangat sendiri", "Aku sangat kesepian"},
			"right":  {"itu benar", "kamu benar", "Anda benar", "ini pasti benar"},
		}, "Aku benar-benar sendiri", "Aku benar sendiri"},
	}
	for _, c := range cases {
		var ex []Example
		for label, phrases := range c.intents {
			for _, p := range phrases {
				ex = append(ex, Example{Label: label, Text: p})
			}
		}
		m, err := Train(ex, WithLanguage(c.lang))
		if err != nil {
			t.Fatal(err)
		}
		a, b := m.Predict(c.a, Set{}), m.Predict(c.b, Set{})
		if !slices.Equal(a, b) {
			t.Errorf("%s: %q scores %v, %q %v", c.lang, c.a, a, c.b, b)
		}
	}
}

// TestReduplicationMatch trains an Indonesian bot on the lonely and right
// intents of a public corpus (nlp.js's Corpus 50) and a tired one that says
// "benar-benar" (really) once: "Aku benar-benar sendiri" (I am really
// alone) is lonely, as "benar" (right) counts once.
func TestReduplicationMatch(t *testing.T) {
	intents := map[string][]string{
		"smalltalk.lonely": {"Saya merasa kesepian", "Saya sangat sendiri", "Aku sangat kesepian", "Aku sangat kesepian", "Saya merasa kesepian"},
		"smalltalk.right":  {"itu benar", "kamu benar", "Anda benar", "apa yang kamu katakan adalah kebenaran", "ini pasti benar"},
		"smalltalk.tired":  {"Saya benar-benar lelah", "Aku capek", "Saya lelah sekali", "Aku mengantuk"},
	}
	var ex []Example
	for label, phrases := range intents {
		for _, p := range phrases {
			ex = append(ex, Example{Label: label, Text: p})
		}
	}
	m, err := Train(ex, WithLanguage("indonesian"))
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"Aku benar-benar sendiri": "smalltalk.lonely",
		"Saya benar-benar lelah":  "smalltalk.tired",
		"kamu benar":              "smalltalk.right",
	} {
		got := m.Predict(q, Set{})
		if len(got) == 0 || got[0].Label != want || got[0].Score < 0.5 {
			t.Errorf("%q: got %v, want %s at 0.5", q, got, want)
		}
	}
}
