package nlu

import "testing"

// TestStemmers checks each language's stemmer on real inflected forms:
// both words of a pair must give one term, and every language of
// Languages has a case.
func TestStemmers(t *testing.T) {
	tests := map[string][][2]string{
		"arabic":     {{"المكتبات", "المكتبة"}},
		"armenian":   {{"պատվերներ", "պատվերները"}, {"քաղաքներ", "քաղաքի"}, {"ռեստորան", "ռեստորանում"}},
		"basque":     {{"kafe", "kafeak"}, {"etxeak", "etxera"}, {"liburuak", "liburuen"}},
		"catalan":    {{"comanda", "comandes"}, {"reserves", "reservar"}, {"oberta", "obertes"}},
		"czech":      {{"objednávka", "objednávkou"}, {"káva", "kávu"}, {"zámek", "zámku"}, {"kavárna", "kavárně"}, {"Matkou", "matka"}},
		"danish":     {{"bestillinger", "bestilling"}, {"kaffen", "kaffe"}},
		"dutch":      {{"bestellingen", "bestelling"}, {"koffie", "koffie"}},
		"english":    {{"orders", "ordering"}, {"coffees", "coffee"}},
		"esperanto":  {{"kafo", "kafojn"}, {"mendo", "mendoj"}, {"dimanĉo", "dimanĉe"}, {"mendi", "mendas"}},
		"estonian":   {{"raamat", "raamatute"}, {"tellida", "tellin"}, {"kohvi", "kohvid"}, {"tellimus", "tellimust"}},
		"finnish":    {{"kahvia", "kahvi"}, {"tilauksen", "tilaukset"}, {"talossa", "taloissa"}},
		"french":     {{"commandes", "commande"}, {"réservations", "réservation"}},
		"german":     {{"bestellungen", "bestellung"}, {"öffnungszeiten", "öffnungszeit"}},
		"greek":      {{"καφές", "καφέδες"}, {"ώρα", "ωρών"}, {"ανοιχτό", "ανοιχτός"}, {"ΚΑΦΈΣ", "καφέ"}},
		"hindi":      {{"किताबें", "किताबों"}, {"लड़का", "लड़कों"}, {"दुकान", "दुकानें"}},
		"hungarian":  {{"rendelések", "rendelés"}},
		"indonesian": {{"memesan", "dipesan"}, {"makanan", "makan"}, {"bukunya", "buku"}},
		"irish":      {{"mbialann", "bialann"}, {"gcathair", "cathair"}}, // initial mutations
		"italian":    {{"prenotazioni", "prenotazione"}, {"ordinare", "ordinato"}},
		"lithuanian": {{"kava", "kavos"}, {"užsakymas", "užsakymų"}, {"valanda", "valandos"}},
		"nepali":     {{"किताब", "किताबहरू"}, {"घरमा", "घर"}, {"पसलमा", "पसल"}},
		"norwegian":  {{"bestillingen", "bestilling"}},
		"persian":    {{"کتابها", "کتاب"}, {"كتاب", "کتاب"}, {"سفارشات", "سفارش"}, {"میزها", "ميز"}, {"رستورانها", "رستوران"}},
		"polish":     {{"zamówienie", "zamówień"}, {"kawa", "kawę"}, {"niedziela", "niedzielę"}, {"godzina", "godziny"}},
		"portuguese": {{"reservas", "reserva"}, {"encomendas", "encomenda"}},
		"romanian":   {{"comenzile", "comenzi"}, {"rezervări", "rezervările"}, {"rezervare", "rezervarea"}},
		"russian":    {{"заказы", "заказ"}, {"кофе", "кофе"}},
		"serbian":    {{"kafa", "kafu"}, {"кафа", "kafa"}, {"поруџбина", "porudžbine"}, {"porudžbina", "porudzbina"}},
		"sesotho":    {{"moruti", "baruti"}, {"rekile", "rekisa"}, {"motho", "batho"}, {"sebaka", "libaka"}},
		"spanish":    {{"pedidos", "pedido"}, {"reservas", "reserva"}},
		"swedish":    {{"beställningar", "beställning"}},
		"tamil":      {{"புத்தகங்கள்", "புத்தகம்"}},
		"turkish":    {{"siparişler", "sipariş"}, {"kahveler", "kahve"}},
		"yiddish":    {{"ספר", "ספרים"}, {"באַשטעלונג", "באַשטעלונגען"}, {"שפּילן", "געשפּילט"}},
	}
	for _, lang := range Languages {
		pairs, ok := tests[lang]
		if !ok {
			t.Errorf("%s: no test case", lang)
			continue
		}
		t.Run(lang, func(t *testing.T) {
			a := newAnalyzer(lang, nil)
			if a.stem == nil {
				t.Fatalf("no stemmer")
			}
			for _, p := range pairs {
				x, y := a.term(Normalize(p[0])), a.term(Normalize(p[1]))
				if x != y {
					t.Errorf("%s → %q, %s → %q: want one term", p[0], x, p[1], y)
				}
			}
		})
	}
	if a := newAnalyzer("latvian", nil); a.stem != nil {
		t.Error("latvian: got a stemmer, want none")
	}
	for code, want := range map[string]string{"DE": "german", "hy": "armenian", "eu": "basque", "ca": "catalan",
		"el": "greek", "hi": "hindi", "id": "indonesian", "lt": "lithuanian", "ne": "nepali", "sr": "serbian", "yi": "yiddish",
		"eo": "esperanto", "et": "estonian", "PL": "polish", "st": "sesotho", "fa": "persian", "cs": "czech"} {
		if a := newAnalyzer(code, nil); a.lang != want || a.stem == nil {
			t.Errorf("%s: got %q, want %s with a stemmer", code, a.lang, want)
		}
	}
}
