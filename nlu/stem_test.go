package nlu

import "testing"

// TestStemmers checks each language's stemmer on real inflected forms:
// both words of a pair must give one term, and every language of
// Languages has a case.
func TestStemmers(t *testing.T) {
	tests := map[string][][2]string{
		"arabic":     {{"المكتبات", "المكتبة"}},
		"danish":     {{"bestillinger", "bestilling"}, {"kaffen", "kaffe"}},
		"dutch":      {{"bestellingen", "bestelling"}, {"koffie", "koffie"}},
		"english":    {{"orders", "ordering"}, {"coffees", "coffee"}},
		"finnish":    {{"kahvia", "kahvi"}, {"tilauksen", "tilaukset"}, {"talossa", "taloissa"}},
		"french":     {{"commandes", "commande"}, {"réservations", "réservation"}},
		"german":     {{"bestellungen", "bestellung"}, {"öffnungszeiten", "öffnungszeit"}},
		"hungarian":  {{"rendelések", "rendelés"}},
		"irish":      {{"mbialann", "bialann"}, {"gcathair", "cathair"}}, // initial mutations
		"italian":    {{"prenotazioni", "prenotazione"}, {"ordinare", "ordinato"}},
		"norwegian":  {{"bestillingen", "bestilling"}},
		"portuguese": {{"reservas", "reserva"}, {"encomendas", "encomenda"}},
		"romanian":   {{"comenzile", "comenzi"}, {"rezervări", "rezervările"}, {"rezervare", "rezervarea"}},
		"russian":    {{"заказы", "заказ"}, {"кофе", "кофе"}},
		"spanish":    {{"pedidos", "pedido"}, {"reservas", "reserva"}},
		"swedish":    {{"beställningar", "beställning"}},
		"tamil":      {{"புத்தகங்கள்", "புத்தகம்"}},
		"turkish":    {{"siparişler", "sipariş"}, {"kahveler", "kahve"}},
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
	if a := newAnalyzer("greek", nil); a.stem != nil {
		t.Error("greek: got a stemmer, want none")
	}
	if a := newAnalyzer("DE", nil); a.lang != "german" || a.stem == nil {
		t.Errorf("DE: got %q, want german with a stemmer", a.lang)
	}
}
