package nlu_test

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// TestNumberWords reads numbers written as words in real sentences of
// each language with number words.
func TestNumberWords(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"english", "i'll take twenty-one of them", "21"},
		// A language with no words of its own reads English's.
		{"klingon", "twenty-one of them", "21"},
		{"japanese", "21 個ください", "21"},
		// Digits inside a word of a script written without spaces.
		{"japanese", "ピザを3枚注文したい", "3"},
		{"japanese", "ピザを３枚", "3"},
		{"japanese", "コーヒーを2.5杯", "2.5"},
		{"chinese", "我要3杯咖啡", "3"},
		{"thai", "ขอพิซซ่า2ถาด", "2"},
		{"german", "Ich hätte gern zweiundzwanzig Brötchen", "22"},
		{"german", "zweihundertdreiundvierzig Euro", "243"},
		{"german", "Wir sind sechzehn Personen", "16"},
		{"german", "dreitausend Kilometer", "3000"},
		{"german", "5 Millionen Einwohner", "5000000"},
		{"german", "5 hundert Euro", "500"},
		{"french", "quatre-vingt-dix-neuf ballons", "99"},
		{"french", "il a soixante et onze ans", "71"},
		{"french", "deux cents personnes", "200"},
		{"french", "j'en veux dix-sept", "17"},
		{"french", "quatre-vingts ballons", "80"},
		{"spanish", "doscientos treinta y cuatro pesos", "234"},
		{"spanish", "tengo veintiún años", "21"},
		{"spanish", "dieciséis personas", "16"},
		{"spanish", "dos mil veinte", "2020"},
		{"italian", "siamo in ventitré", "23"},
		{"italian", "nel duemilaventi", "2020"},
		{"italian", "centoventidue persone", "122"},
		{"portuguese", "vinte e três anos", "23"},
		{"portuguese", "quinhentos reais", "500"},
		{"dutch", "eenentwintig jaar", "21"},
		{"dutch", "tweeëntwintig fietsen", "22"},
		{"dutch", "honderdvijf euro", "105"},
		{"danish", "femogtyve kroner", "25"},
		{"danish", "halvtreds mennesker", "50"},
		{"norwegian", "tjuefem kroner", "25"},
		{"norwegian", "to hundre og tre", "203"},
		{"swedish", "tjugoett år", "21"},
		{"swedish", "etthundra kronor", "100"},
		{"finnish", "kaksikymmentäkolme euroa", "23"},
		{"finnish", "yksitoista pelaajaa", "11"},
		{"finnish", "sataviisikymmentä metriä", "150"},
		{"russian", "двадцать пять рублей", "25"},
		{"russian", "две тысячи", "2000"},
		{"turkish", "yirmi beş lira", "25"},
		{"turkish", "iki yüz kişi", "200"},
		{"romanian", "douăzeci și cinci de lei", "25"},
		{"romanian", "două sute", "200"},
		{"hungarian", "huszonöt forint", "25"},
		{"hungarian", "kétszázhuszonöt", "225"},
		{"hungarian", "tizenegy játékos", "11"},
		{"arabic", "أريد 3 قهوة", "3"},
		{"greek", "θέλω είκοσι πέντε καφέδες", "25"},
		{"greek", "δεκαεφτά άτομα", "17"},
		{"greek", "εκατόν είκοσι ευρώ", "120"},
		{"greek", "τρεις χιλιάδες πεντακόσια ευρώ", "3500"},
		{"greek", "ΔΏΔΕΚΑ ΤΡΑΠΈΖΙΑ", "12"},
		{"catalan", "vint-i-cinc euros", "25"},
		{"catalan", "som disset persones", "17"},
		{"catalan", "dues-centes cinquanta", "250"},
		{"catalan", "tres mil quatre-cents", "3400"},
		{"indonesian", "saya pesan dua puluh lima kopi", "25"},
		{"indonesian", "dua belas orang", "12"},
		{"indonesian", "seratus dua puluh ribu rupiah", "120000"},
		{"indonesian", "dua ribu lima ratus", "2500"},
		{"basque", "hogeita bost euro", "25"},
		{"basque", "berrogeita hamabi urte", "52"},
		{"basque", "ehun eta hogeita bat", "121"},
		{"basque", "hiru mila bostehun", "3500"},
		{"basque", "hamazazpi lagun", "17"},
		{"armenian", "քսանհինգ դրամ", "25"},
		{"armenian", "տասնյոթ մարդ", "17"},
		{"armenian", "երկու հարյուր երեսունչորս", "234"},
		{"armenian", "երեք հազար", "3000"},
		{"hindi", "मुझे 3 कॉफ़ी चाहिए", "3"},
		{"hindi", "मुझे दो कॉफ़ी चाहिए", "2"},
		{"hindi", "2 सौ रुपये", "200"},
		{"hindi", "हम पच्चीस लोग हैं", "25"},
		{"hindi", "दो सौ पचास रुपये", "250"},
		{"hindi", "एक हज़ार दो सौ", "1200"},
		{"hindi", "पांच हजार रुपये दीजिए", "5000"},
		{"hindi", "पाँच हज़ार", "5000"},
		{"hindi", "दो लाख पचास हज़ार", "250000"},
		{"hindi", "तीन करोड़ की आबादी", "30000000"},
		{"hindi", "ढाई सौ ग्राम चीनी", "250"},
		{"hindi", "डेढ़ लाख रुपये", "150000"},
		{"hindi", "डेढ़ किलो आटा", "1.5"},
		{"hindi", "साढ़े तीन सौ रुपये", "350"},
		{"hindi", "साढ़े पाँच बजे", "5.5"},
		{"hindi", "सवा सौ लोग", "125"},
		{"hindi", "सवा दो लाख", "225000"},
		{"hindi", "पौने दो सौ", "175"},
		{"hindi", "दो हज़ार साढ़े तीन सौ", "2350"},
		{"hindi", "निन्यानवे प्रतिशत", "99"},
		{"hindi", "पच्चीस सौ", "2500"},
		{"hindi", "छः बजे", "6"},
		{"hindi", "5 लाख", "500000"},
		{"hindi", "मुझे ३ कॉफ़ी चाहिए", "3"},
		{"hindi", "१२०० रुपये", "1200"},
		{"nepali", "२५ वटा कफी", "25"},
		{"nepali", "मलाई दुई कप चिया चाहियो", "2"},
		{"nepali", "हामी पच्चीस जना छौं", "25"},
		{"nepali", "दुई सय पचास रुपैयाँ", "250"},
		{"nepali", "छ सय रुपैयाँ", "600"},
		{"nepali", "छ हजार", "6000"},
		{"nepali", "साढे छ बजे", "6.5"},
		{"nepali", "साढे तीन सय", "350"},
		{"nepali", "अढाई सय रुपैयाँ", "250"},
		{"nepali", "तीन हजार पाँच सय", "3500"},
		{"nepali", "पाँच लाख", "500000"},
		{"nepali", "एक करोड", "10000000"},
		{"nepali", "एघार बजे", "11"},
		{"nepali", "उनान्सय", "99"},
		{"nepali", "मूल्य एक सय छ", "100"}, // the price is a hundred: "छ" before no hundred is "is"
		{"arabic", "أريد ٣ قهوة", "3"},
		{"arabic", "١٢ شخصا", "12"},
		{"tamil", "௨௫ ரூபாய்", "25"},
		{"irish", "a dó, le do thoil", "2"},
		{"irish", "a haon déag", "11"},
		{"irish", "a dó dhéag", "12"},
		{"irish", "fiche a cúig euro", "25"},
		{"irish", "a cúig is fiche", "25"},
		{"irish", "tríocha a hocht", "38"},
		{"irish", "céad is fiche", "120"},
		{"irish", "céad míle fáilte", "100000"},
		{"irish", "a se", "6"},
		{"tamil", "எனக்கு இரண்டு காபி வேண்டும்", "2"},
		{"tamil", "இருபத்தி ஐந்து ரூபாய்", "25"},
		{"tamil", "இருபத்து ஐந்து ரூபாய்", "25"},
		{"tamil", "பதினைந்து பேர்", "15"},
		{"tamil", "நூற்று இருபது கிராம்", "120"},
		{"tamil", "இருநூற்று ஐம்பது ரூபாய்", "250"},
		{"tamil", "ஐந்து நூறு", "500"},
		{"tamil", "மூன்று ஆயிரம் ஐநூறு", "3500"},
		{"tamil", "ஆயிரத்து ஒன்பது", "1009"},
		{"tamil", "இரண்டு லட்சம்", "200000"},
		{"tamil", "தொண்ணூற்றி ஒன்பது", "99"},
		{"tamil", "ரெண்டு டீ", "2"},
		{"tamil", "5 லட்சம்", "500000"},
		{"english", "table ４２", "42"},
		{"serbian", "Molim vas dve kafe", "2"},
		{"serbian", "rezervišite sto za dvoje", "2"},
		{"serbian", "imam dvadeset pet godina", "25"},
		{"serbian", "dvadeset i pet evra", "25"},
		{"serbian", "sto dvadeset dinara", "120"},
		{"serbian", "dvesta pedeset grama", "250"},
		{"serbian", "tri hiljade dinara", "3000"},
		{"serbian", "hiljadu dvesta evra", "1200"},
		{"serbian", "jednu kafu, molim", "1"},
		{"serbian", "dvije pizze", "2"},
		{"serbian", "stotinu dinara", "100"},
		{"serbian", "Što dva?", "2"},
		{"serbian", "pet stotina ljudi", "500"},
		{"serbian", "Желим две кафе", "2"},
		{"serbian", "двадесет пет динара", "25"},
		{"serbian", "сто двадесет", "120"},
		{"serbian", "двеста педесет грама", "250"},
		{"serbian", "три хиљаде", "3000"},
		{"serbian", "петнаест минута", "15"},
		{"arabic", "أريد خمسة وعشرين كوبا", "25"},
		{"arabic", "خمسة وعشرون", "25"},
		{"arabic", "نحن ثلاثة أشخاص", "3"},
		{"arabic", "اربعة اشخاص", "4"},
		{"arabic", "ثلاثة عشر يوما", "13"},
		{"arabic", "أحد عشر لاعبا", "11"},
		{"arabic", "اثنا عشر شهرا", "12"},
		{"arabic", "مائة وخمسون ريالا", "150"},
		{"arabic", "مئة دينار", "100"},
		{"arabic", "ثلاثمائة جنيه", "300"},
		{"arabic", "ثلاثة آلاف درهم", "3000"},
		{"arabic", "ألفين وخمسمائة", "2500"},
		{"arabic", "عشرة دنانير", "10"},
		{"arabic", "واحدة فقط", "1"},
		{"arabic", "سَبْعَة", "7"},
		{"lithuanian", "norėčiau dviejų kavų", "2"},
		{"lithuanian", "mums reikia stalo trims", "3"},
		{"lithuanian", "dvidešimt penki eurai", "25"},
		{"lithuanian", "šimtas dvidešimt", "120"},
		{"lithuanian", "du šimtai eurų", "200"},
		{"lithuanian", "trys tūkstančiai", "3000"},
		{"lithuanian", "septyniolika metų", "17"},
		{"lithuanian", "dvi kavos", "2"},
		{"yiddish", "איך וויל צוויי קאַווע", "2"},
		{"yiddish", "פינף און צוואַנציק דאָלאַר", "25"},
		{"yiddish", "פֿינף און צװאַנציק", "25"},
		{"yiddish", "דרײַ הונדערט", "300"},
		{"yiddish", "צוויי טויזנט", "2000"},
		{"yiddish", "זעכצן יאָר", "16"},
		{"yiddish", "ניין און צוואַנציק", "29"},
		{"polish", "poproszę dwie kawy", "2"},
		{"polish", "dwadzieścia pięć złotych", "25"},
		{"polish", "sto dwadzieścia trzy", "123"},
		{"polish", "dwa tysiące pięćset", "2500"},
		{"polish", "stolik dla czterech osób", "4"},
		{"polish", "mam trzydzieści dwa lata", "32"},
		{"polish", "pięćset złotych", "500"},
		{"estonian", "kaks kohvi palun", "2"},
		{"estonian", "kakskümmend viis eurot", "25"},
		{"estonian", "sada kakskümmend", "120"},
		{"estonian", "kolm tuhat", "3000"},
		{"estonian", "ma olen kolmkümmend kaks aastat vana", "32"},
		{"estonian", "laud kuus inimesele", "6"},
		{"esperanto", "du kafojn, mi petas", "2"},
		{"esperanto", "dudek kvin eŭroj", "25"},
		{"esperanto", "cent dudek", "120"},
		{"esperanto", "tri mil", "3000"},
		{"esperanto", "mi havas tridek du jarojn", "32"},
		{"esperanto", "dek ok homoj", "18"},

		// Phrases as people type them to a bot, in each language.
		{"german", "ich hätte gern zweiundzwanzig Stück", "22"},
		{"german", "Ich bin dreiunddreißig Jahre alt", "33"},
		{"german", "Tisch für sechs, bitte", "6"},
		{"german", "wir kommen zu viert", "4"},
		{"german", "zweieinhalb Kilo", "2.5"},
		{"german", "zweitausendvierundzwanzig", "2024"},
		{"german", "tausendzweihundert Euro", "1200"},
		// A year said in hundreds is read as its number.
		{"german", "geboren neunzehnhundertneunundneunzig", "1999"},
		{"german", "neunzehnhundert neunundneunzig", "1999"},
		{"german", "zwo Bier", "2"},
		{"french", "quatre-vingt-dix-sept euros", "97"},
		{"french", "il a soixante et onze ans", "71"},
		{"french", "deux cent trente personnes", "230"},
		{"french", "mille deux cents", "1200"},
		{"french", "mille neuf cent quatre-vingt-dix-neuf", "1999"},
		{"french", "j'ai trente-deux ans", "32"},
		{"french", "nous sommes six", "6"},
		{"french", "septante-cinq", "75"},
		{"french", "neuf croissants, s'il vous plaît", "9"},
		{"spanish", "tengo veintiún años", "21"},
		{"spanish", "quinientos euros", "500"},
		{"spanish", "ciento uno", "101"},
		{"spanish", "dos mil veinticuatro", "2024"},
		{"spanish", "tengo treinta y dos años", "32"},
		{"spanish", "mil novecientos ochenta y cuatro", "1984"},
		{"spanish", "somos seis", "6"},
		{"italian", "ventotto gradi", "28"},
		{"italian", "centotré", "103"},
		{"italian", "duemila euro", "2000"},
		{"italian", "ho trentadue anni", "32"},
		{"italian", "siamo in sei", "6"},
		{"italian", "mille e cinquecento", "1500"},
		{"portuguese", "vinte e um anos", "21"},
		{"portuguese", "duzentos e cinquenta reais", "250"},
		{"portuguese", "dois mil e quinhentos reais", "2500"},
		{"portuguese", "tenho trinta e dois anos", "32"},
		{"dutch", "eenentwintig euro", "21"},
		{"dutch", "tweehonderd gram", "200"},
		{"dutch", "ik ben tweeëndertig jaar", "32"},
		{"dutch", "tweeduizendvierentwintig", "2024"},
		{"danish", "halvfems kroner", "90"},
		{"danish", "tooghalvtreds", "52"},
		{"danish", "jeg er toogtredive år", "32"},
		{"danish", "hundrede og tyve", "120"},
		{"swedish", "jag är trettiotvå år", "32"},
		{"swedish", "tvåhundrafemtio kronor", "250"},
		{"swedish", "ettusen kronor", "1000"},
		{"norwegian", "jeg er trettito år", "32"},
		{"norwegian", "ettusen kroner", "1000"},
		{"finnish", "kaksikymmentäyksi euroa", "21"},
		{"finnish", "olen kolmekymmentäkaksi vuotta", "32"},
		{"finnish", "kaksi kahvia kiitos", "2"},
		{"hungarian", "huszonegy forint", "21"},
		{"hungarian", "harminckét éves vagyok", "32"},
		{"hungarian", "két kávét kérek", "2"},
		{"romanian", "douăzeci și unu de lei", "21"},
		{"romanian", "am treizeci și doi de ani", "32"},
		{"romanian", "o mie de lei", "1000"},
		{"romanian", "un bilet, vă rog", "1"},
		{"turkish", "yirmi bir lira", "21"},
		{"turkish", "otuz iki yaşındayım", "32"},
		{"turkish", "bin dokuz yüz doksan dokuz", "1999"},
		{"russian", "двадцать один рубль", "21"},
		{"russian", "мне тридцать два года", "32"},
		{"russian", "одну пиццу, пожалуйста", "1"},
		{"russian", "столик на двоих", "2"},
		{"russian", "нас будет трое", "3"},
		{"greek", "είμαι τριάντα δύο χρονών", "32"},
		{"arabic", "عمري اثنان وثلاثون سنة", "32"},
		{"hindi", "मेरी उम्र बत्तीस साल है", "32"},
		{"indonesian", "umur saya tiga puluh dua tahun", "32"},
		{"catalan", "tinc trenta-dos anys", "32"},
		{"basque", "hogeita hamabi urte ditut", "32"},
		{"lithuanian", "man trisdešimt dveji metai", "32"},
		{"lithuanian", "staliukas keturiems", "4"},
		{"serbian", "imam trideset dve godine", "32"},
		{"nepali", "म बत्तीस वर्षको हुँ", "32"},
		{"armenian", "ես երեսուներկու տարեկան եմ", "32"},
		{"yiddish", "צוויי קאַווע", "2"},

		// Where the indefinite article is the word for one, it is read
		// as one ("ein Bier" is one beer); English "a" is not "one" and
		// is read only before a scale ("a hundred").
		{"german", "ich möchte ein Bier", "1"},
		{"german", "einen Kaffee, bitte", "1"},
		{"french", "un café s'il vous plaît", "1"},
		{"spanish", "una cerveza por favor", "1"},
		{"italian", "una birra", "1"},
		{"portuguese", "um café, por favor", "1"},
		{"dutch", "een biertje", "1"},
		{"norwegian", "et bord, takk", "1"},
		{"tamil", "ஒரு காபி வேண்டும்", "1"},
		{"tamil", "ஒரு லட்சம்", "100000"},

		// Hindi "दो" is two and give!: two before a noun or alone, not
		// at the end of a sentence.
		{"hindi", "दो कॉफ़ी", "2"},
		{"hindi", "मुझे दो कॉफ़ी दो", "2"},
		{"hindi", "हाँ, दो", "2"},
		{"hindi", "हम दो हैं", "2"},
		{"hindi", "दो", "2"},

		// Irish before a noun.
		{"irish", "dhá chupán caife", "2"},
		{"irish", "trí chéad euro", "300"},
		{"irish", "cúig euro", "5"},
		{"irish", "dhá mhíle", "2000"},

		// Ordinals.
		{"german", "der zweite", "2"},
		{"german", "das dritte, bitte", "3"},
		{"german", "am ersten Mai", "1"},
		{"german", "zum einundzwanzigsten Mal", "21"},
		{"german", "der 3. Platz", "3"},
		{"french", "la deuxième", "2"},
		{"french", "le premier", "1"},
		{"french", "le vingt et unième siècle", "21"},
		{"french", "la quatre-vingt-dixième", "90"},
		{"french", "au 2ème étage", "2"},
		{"french", "le 1er mai", "1"},
		{"spanish", "el segundo", "2"},
		{"spanish", "la primera opción", "1"},
		{"spanish", "el primer día", "1"},
		{"spanish", "segundo", "2"},
		{"spanish", "el 3er piso", "3"},
		{"spanish", "el 2º piso", "2"},
		{"italian", "il terzo", "3"},
		{"italian", "la seconda, grazie", "2"},
		{"italian", "l'ottavo", "8"},
		{"italian", "il 2º", "2"},
		{"portuguese", "o primeiro", "1"},
		{"portuguese", "a terceira opção", "3"},
		{"portuguese", "o 1º andar", "1"},
		{"dutch", "de tweede", "2"},
		{"dutch", "de eenentwintigste", "21"},
		{"dutch", "de 2e", "2"},
		// Spanish and Italian ordinals past the twelfth, in one word or two.
		{"spanish", "el decimoquinto", "15"},
		{"spanish", "el décimo quinto piso", "15"},
		{"spanish", "el decimocuarto", "14"},
		{"spanish", "la vigésima primera", "21"},
		{"spanish", "el vigésimo", "20"},
		{"spanish", "el trigésimo segundo aniversario", "32"},
		{"spanish", "el centésimo", "100"},
		{"italian", "il quindicesimo", "15"},
		{"italian", "la tredicesima", "13"},
		{"italian", "il ventitreesimo", "23"},
		{"italian", "il ventunesimo secolo", "21"},
		{"italian", "la trentaduesima", "32"},
		{"italian", "il centesimo", "100"},
		// Sesotho, after a concord.
		{"sesotho", "kopi e le nngwe", "1"},
		{"sesotho", "ke batla dikopi tse pedi", "2"},
		{"sesotho", "batho ba babedi", "2"},
		{"sesotho", "ka kopo, tse tharo", "3"},
		{"sesotho", "leshome", "10"},
		// Chinese and Japanese, read inside the words of a text: numbers
		// with their measure words and counters, ordinals with "第", and
		// the number characters of other words ("一下") left alone.
		{"zh", "我要三杯咖啡", "3"},
		{"zh", "两个汉堡，谢谢", "2"},
		{"zh", "兩個漢堡", "2"},
		{"zh", "给我来一杯拿铁", "1"},
		{"zh", "第三个", "3"},
		{"zh", "第二十一排", "21"},
		{"zh", "我们一共五个人", "5"},
		{"zh", "一百零五块", "105"},
		{"zh", "三百五十块钱", "350"},
		{"zh", "十五", "15"},
		{"zh", "二十", "20"},
		{"zh", "一千二百", "1200"},
		{"zh", "三万一千", "31000"},
		{"zh", "一千万", "10000000"},
		{"zh", "兩萬五千", "25000"},
		{"zh", "三亿", "300000000"},
		{"zh", "零", "0"},
		{"zh", "3千块", "3000"},
		{"zh", "我要订十二点的位子", "12"},
		{"zh", "我的订单是七号", "7"},
		{"ja", "ピザを三枚ください", "3"},
		{"ja", "ひとつください", "1"},
		{"ja", "二つお願いします", "2"},
		{"ja", "ふたりです", "2"},
		{"ja", "コーヒーを二杯", "2"},
		{"ja", "三千五百円です", "3500"},
		{"ja", "一万円", "10000"},
		{"ja", "二十分後に", "20"},
		{"ja", "五人で予約したい", "5"},
		{"ja", "三番目", "3"},
		{"ja", "もうひとつ", "1"},

		// Korean: native numbers before a counter, joined to it or not,
		// with a particle, and Sino-Korean ones.
		{"ko", "커피 두 잔 주세요", "2"},
		{"ko", "아메리카노 한 잔이요", "1"},
		{"ko", "네 잔 주세요", "4"},
		{"ko", "두잔", "2"},
		{"ko", "세 명이요", "3"},
		{"ko", "하나요", "1"},
		{"ko", "하나만 주세요", "1"},
		{"ko", "둘이서 갈게요", "2"},
		{"ko", "열두 개", "12"},
		{"ko", "스물다섯 살이에요", "25"},
		{"ko", "이십오", "25"},
		{"ko", "삼만 원", "30000"},
		{"ko", "만 원", "10000"},
		{"ko", "오만 원", "50000"},
		{"ko", "10만 원", "100000"},
		{"ko", "커피 3잔", "3"},
		{"ko", "오백", "500"},
		{"ko", "첫 번째", "1"},
		{"ko", "세 번째 거요", "3"},

		// Hebrew, Ukrainian, Czech, Bulgarian, Vietnamese, Thai.
		{"he", "אני רוצה שלוש פיצות", "3"},
		{"he", "עשרים ושלוש", "23"},
		{"he", "שולחן לחמישה אנשים", "5"},
		{"he", "חמש עשרה", "15"},
		{"he", "שתים עשרה שקל", "12"},
		{"he", "עשר", "10"},
		{"he", "שלוש מאות", "300"},
		{"he", "מאה ועשרים", "120"},
		{"he", "אלפיים", "2000"},
		{"he", "שלושת אלפים שקל", "3000"},
		{"uk", "двадцять п'ять гривень", "25"},
		{"uk", "п’ять кав, будь ласка", "5"},
		{"uk", "дві піци", "2"},
		{"uk", "нас буде троє", "3"},
		{"uk", "тисяча двісті", "1200"},
		{"uk", "сто сорок два", "142"},
		{"cs", "dvaadvacet korun", "22"},
		{"cs", "dvě piva, prosím", "2"},
		{"cs", "dvě stě padesát", "250"},
		{"cs", "pět set korun", "500"},
		{"cs", "sto dvacet", "120"},
		{"cs", "stůl pro čtyři osoby", "4"},
		{"cs", "tři tisíce", "3000"},
		{"bg", "двадесет и пет лева", "25"},
		{"bg", "две кафета, моля", "2"},
		{"bg", "сто и пет", "105"},
		{"bg", "маса за четирима", "4"},
		{"bg", "един чай", "1"},
		{"bg", "две хиляди", "2000"},
		{"vi", "cho tôi hai ly cà phê", "2"},
		{"vi", "hai mươi lăm", "25"},
		{"vi", "mười lăm nghìn", "15000"},
		{"vi", "một trăm linh năm", "105"},
		{"vi", "ba mươi mốt", "31"},
		{"vi", "bàn cho năm người", "5"},
		{"vi", "tôi đã ở đây hai năm", "2"}, // two years: "năm" after a number is a year
		{"vi", "hai trăm nghìn đồng", "200000"},
		{"th", "ขอกาแฟสองแก้ว", "2"},
		{"th", "ยี่สิบห้าบาท", "25"},
		{"th", "สามสิบ", "30"},
		{"th", "หนึ่งร้อยยี่สิบบาท", "120"},
		{"th", "สิบเอ็ดคน", "11"},
		{"th", "กาแฟแก้วหนึ่ง", "1"},
		{"th", "สองครับ", "2"},
		{"th", "จองโต๊ะสี่ที่", "4"},
		{"th", "สองหมื่นห้าพันบาท", "25000"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			x, ok := nlu.System("number", nlu.WithLanguage(tt.lang))
			if !ok {
				t.Fatal("no number entity")
			}
			got := x.Extract(tt.text)
			if len(got) != 1 || got[0].Value != tt.want {
				t.Errorf("got %+v, want one number %s", got, tt.want)
			}
			if len(got) == 1 && tt.text[got[0].Start:got[0].End] != got[0].Text {
				t.Errorf("span %d:%d is %q, not %q", got[0].Start, got[0].End, tt.text[got[0].Start:got[0].End], got[0].Text)
			}
		})
	}
	// Two numbers side by side stay two; words that merely contain
	// number words are not numbers.
	for _, tt := range []struct {
		lang, text string
		want       int
	}{
		{"german", "zwei drei", 2},
		{"swedish", "entre", 0},
		{"german", "Achtung", 0},
		{"french", "et", 0},
		{"danish", "og", 0},
		{"basque", "eta", 0},
		{"basque", "hogeita", 0},
		{"indonesian", "belas", 0},
		{"serbian", "dve kafe i 2 čaja", 2},
		{"serbian", "što je to?", 0},
		{"serbian", "pet i šest", 2},
		{"german", "zwei und drei", 2},
		{"serbian", "sto je to", 0},
		{"serbian", "za koji sto?", 0},
		{"serbian", "што је то", 0},
		{"arabic", "و", 0},
		{"arabic", "يوم الاثنين", 0},
		{"yiddish", "ניין, אַ דאַנק", 0},
		{"hindi", "दस पाँच लोग", 2}, // ten or five: a few
		{"hindi", "दो सौ पचास पाँच", 2},
		{"hindi", "मेरे दोस्त के साथ", 0},
		{"hindi", "मुझे नौकरी से छुट्टी दे दो", 0}, // "दे दो", give
		{"hindi", "मुझे पानी दो", 0},               // give me water
		{"hindi", "पानी दो।", 0},
		{"hindi", "सोना और सत्य", 0},
		{"tamil", "ஐந்து இருபது", 2},
		{"nepali", "ठिक छ", 0}, // "छ", six, is also "is"
		{"hindi", "सवा", 0},
		{"irish", "an chéad uair", 0}, // the first time
		{"irish", "dúirt sé go bhfuil sé tinn", 0},
		{"hindi", "साढ़े", 0},
		{"nepali", "मसँग दुई छ", 1},
		{"nepali", "दस पाँच जना", 2},
		{"tamil", "நன்றி, வணக்கம்", 0},
		{"english", "i would like a beer", 0},
		// Words that look like numbers and are not, where they stand.
		{"french", "quoi de neuf ?", 0},
		{"french", "rien de neuf", 0},
		{"french", "un instant", 0},
		{"italian", "tu sei bravo", 0},
		{"italian", "chi sei?", 0},
		{"italian", "secondo me è giusto", 0}, // in my opinion
		{"italian", "prima di tutto", 0},      // before all
		{"italian", "un attimo", 0},
		{"spanish", "espera un segundo", 0},
		{"spanish", "un momento, por favor", 0},
		{"portuguese", "segundo ele", 0},      // according to him
		{"portuguese", "na segunda-feira", 0}, // Monday
		{"portuguese", "o quarto", 0},         // the room
		{"portuguese", "um momento", 0},
		{"german", "ein paar Minuten", 0},
		{"german", "einen Moment bitte", 0},
		{"german", "Bitte achten Sie darauf", 0},
		{"dutch", "een beetje", 0},
		{"spanish", "el cuarto", 0},           // the room
		{"german", "der zwanzigste erste", 2}, // no ordinal pairs in German
		{"spanish", "el segundo, tercero", 1}, // a comma parts them; "tercero" alone after a comma is no ordinal
		{"sesotho", "ho supa", 0},             // to point: "supa" (seven) only beside a number word
		{"dutch", "tweedehands", 0},
		{"romanian", "o să vin", 0},
		{"romanian", "o cafea", 0},
		{"irish", "sé chupán", 0}, // "sé" is six and he
		{"turkish", "bir dakika", 0},
		{"hungarian", "két hét múlva", 1}, // in two weeks: "hét", seven, is a week
		{"hungarian", "hét ember", 1},
		{"french", "un vélo neuf", 2}, // one, and nine: "neuf" after a noun is not told from nine
		// The number characters of other words (Chinese, Japanese), and
		// number syllables of other words (Korean, Thai).
		{"zh", "等一下", 0},         // wait a moment
		{"zh", "我们一起去吧", 0},      // let's go together
		{"zh", "我要一些水", 0},       // some water
		{"zh", "十分感谢", 0},        // thank you very much
		{"zh", "千万不要放辣", 0},      // by all means no chili
		{"zh", "万一下雨怎么办", 0},     // in case it rains
		{"zh", "一样的", 0},         // the same
		{"zh", "来一个三明治", 1},      // one sandwich: "三明治" holds no three
		{"zh", "五三", 2},          // two numbers, not 8
		{"ja", "一緒に行きましょう", 0},   // let's go together
		{"ja", "一番安いのはどれ", 0},    // which is the cheapest
		{"ja", "十分です", 0},        // that's enough
		{"ja", "一応確認します", 0},     // just in case, I'll check
		{"ko", "네, 알겠습니다", 0},    // yes, understood: "네" is four only before a counter
		{"ko", "이 커피 주세요", 0},    // this coffee: "이" is two only beside a number
		{"ko", "이번 주에 갈게요", 0},   // this week
		{"ko", "사이즈는 어떻게 돼요", 0}, // "사이" (between) is no 4 and 2
		{"ko", "한국 사람이에요", 0},
		{"ko", "네가 해", 0},            // you do it
		{"vi", "năm nay", 0},         // this year
		{"vi", "sau đó", 0},          // after that: "sau" is no "sáu", six
		{"vi", "ba mẹ tôi", 0},       // my parents: "ba" is dad
		{"vi", "năm 2024", 1},        // the year 2024
		{"th", "สามารถจองได้ไหม", 0}, // can I book: "สามารถ" holds "สาม", three
		{"th", "เก้าอี้เด็ก", 0},     // a child's chair: "เก้าอี้" holds "เก้า", nine
		{"th", "ห้ามสูบบุหรี่", 0},   // no smoking: "ห้าม" holds "ห้า", five
		{"th", "เรียบร้อยแล้ว", 0},   // done: "เรียบร้อย" holds "ร้อย", hundred
		{"he", "כמה שנים", 0},        // how many years: "שנים" is two only beside a number
		{"cs", "pět a šest", 2},
		{"bg", "пет и шест", 2},
		{"bg", "един момент", 0},
	} {
		x, _ := nlu.System("number", nlu.WithLanguage(tt.lang))
		if got := x.Extract(tt.text); len(got) != tt.want {
			t.Errorf("%s %q: got %+v, want %d numbers", tt.lang, tt.text, got, tt.want)
		}
	}
}

// TestYesNoLanguages reads yes and no in real answers in each language
// with words of its own.
func TestYesNoLanguages(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"english", "yes please", "yes"},
		{"klingon", "yes please", "yes"},
		{"swahili", "no thanks", "no"},
		{"english", "not sure", "no"},
		{"german", "Ja, gerne", "yes"},
		{"german", "nein danke", "no"},
		{"german", "auf keinen Fall", "no"},
		{"french", "oui bien sûr", "yes"},
		{"french", "non merci", "no"},
		{"french", "pas vraiment", "no"},
		{"spanish", "sí, claro", "yes"},
		{"spanish", "no gracias", "no"},
		{"italian", "sì, va bene", "yes"},
		{"italian", "no grazie", "no"},
		{"portuguese", "sim, com certeza", "yes"},
		{"portuguese", "não obrigado", "no"},
		{"dutch", "ja graag", "yes"},
		{"dutch", "nee dank je", "no"},
		{"danish", "ja tak", "yes"},
		{"danish", "nej tak", "no"},
		{"norwegian", "ja, gjerne", "yes"},
		{"norwegian", "nei takk", "no"},
		{"swedish", "ja, gärna", "yes"},
		{"swedish", "nej tack", "no"},
		{"finnish", "kyllä kiitos", "yes"},
		{"finnish", "ei kiitos", "no"},
		{"russian", "да, конечно", "yes"},
		{"russian", "нет, спасибо", "no"},
		{"turkish", "evet, tabii", "yes"},
		{"turkish", "hayır teşekkürler", "no"},
		{"romanian", "da, sigur", "yes"},
		{"romanian", "nu mulțumesc", "no"},
		{"hungarian", "igen, persze", "yes"},
		{"hungarian", "nem köszönöm", "no"},
		{"armenian", "այո, իհարկե", "yes"},
		{"armenian", "ոչ, շնորհակալություն", "no"},
		{"armenian", "իհարկե ոչ", "no"},
		{"basque", "bai, noski", "yes"},
		{"basque", "ez, eskerrik asko", "no"},
		{"basque", "ez ados", "no"},
		{"catalan", "sí, és clar", "yes"},
		{"catalan", "no, gràcies", "no"},
		{"catalan", "de cap manera", "no"},
		{"greek", "ναι, φυσικά", "yes"},
		{"greek", "ΝΑΙ ΒΕΒΑΙΩΣ", "yes"},
		{"greek", "όχι ευχαριστώ", "no"},
		{"greek", "φυσικά όχι", "no"},
		{"greek", "δεν θέλω", "no"},
		{"arabic", "نعم، بالتأكيد", "yes"},
		{"arabic", "أكيد", "yes"},
		{"arabic", "لا شكرا", "no"},
		{"arabic", "لا، أبداً", "no"},
		{"arabic", "غير موافق", "no"},
		{"hindi", "जी हाँ, ज़रूर", "yes"},
		{"hindi", "ठीक है", "yes"},
		{"hindi", "नहीं, धन्यवाद", "no"},
		{"hindi", "बिल्कुल नहीं", "no"},
		{"indonesian", "iya, boleh", "yes"},
		{"indonesian", "tentu saja", "yes"},
		{"indonesian", "tidak usah, terima kasih", "no"},
		{"indonesian", "nggak mau", "no"},
		{"lithuanian", "taip, žinoma", "yes"},
		{"lithuanian", "ne, ačiū", "no"},
		{"lithuanian", "tikrai ne", "no"},
		{"nepali", "हजुर, हुन्छ", "yes"},
		{"nepali", "ठिक छ", "yes"},
		{"nepali", "पर्दैन, धन्यवाद", "no"},
		{"nepali", "होइन", "no"},
		{"tamil", "ஆம், கண்டிப்பாக", "yes"},
		{"tamil", "ஆமாம்", "yes"},
		{"tamil", "சரி", "yes"},
		{"tamil", "இல்லை, நன்றி", "no"},
		{"tamil", "வேண்டாம்", "no"},
		{"irish", "sea", "yes"},
		{"irish", "Is ea, go cinnte", "yes"},
		{"irish", "tá, ar ndóigh", "yes"},
		{"irish", "ní hea", "no"},
		{"irish", "níl", "no"},
		{"irish", "níl cinnte", "no"},
		{"irish", "níl, go raibh maith agat", "no"},
		{"serbian", "da, naravno", "yes"},
		{"serbian", "може, наравно", "yes"},
		{"serbian", "ne hvala", "no"},
		{"serbian", "ни случајно", "no"},
		{"yiddish", "יאָ, אַוודאי", "yes"},
		{"yiddish", "יא זיכער", "yes"},
		{"yiddish", "ניין, אַ דאַנק", "no"},
		{"yiddish", "נישט גוט", "no"},
		{"polish", "tak, oczywiście", "yes"},
		{"polish", "jasne", "yes"},
		{"polish", "nie, dziękuję", "no"},
		{"polish", "oczywiście że nie", "no"},
		{"polish", "nie w porządku", "no"},
		{"estonian", "jah, muidugi", "yes"},
		{"estonian", "sobib", "yes"},
		{"estonian", "ei, aitäh", "no"},
		{"estonian", "muidugi mitte", "no"},
		{"estonian", "ei sobi", "no"},
		{"esperanto", "jes, kompreneble", "yes"},
		{"esperanto", "certe", "yes"},
		{"esperanto", "ne, dankon", "no"},
		{"esperanto", "ne bone", "no"},
		{"sesotho", "E", "yes"},
		{"sesotho", "e, ke a leboha", "yes"},
		{"sesotho", "ehlile", "yes"},
		{"sesotho", "ho lokile", "yes"},
		{"sesotho", "tjhe", "no"},
		{"sesotho", "tjhe, ke a leboha", "no"},
		{"sesotho", "che", "no"},
		{"persian", "بله", "yes"},
		{"persian", "آره، حتماً", "yes"},
		{"persian", "باشه", "yes"},
		{"persian", "نه، ممنون", "no"},
		{"persian", "نه مرسی", "no"},
		{"persian", "خیر، متشکرم", "no"},
		{"persian", "خير ممنون", "no"},
		{"persian", "نخیر", "no"},
		{"persian", "نه بله", "no"},
		{"persian", "بلي", "yes"}, // Arabic yeh
		{"persian", "نخير", "no"},

		{"english", "of course not", "no"},
		{"english", "no problem", "yes"},
		{"english", "sure, why not", "yes"},
		{"german", "ja bitte", "yes"},
		{"german", "kein Problem", "yes"},
		{"german", "das stimmt nicht", "no"},
		{"german", "nicht so gern", "no"},
		{"german", "klar doch", "yes"},
		{"french", "pas de problème", "yes"},
		{"french", "pourquoi pas", "yes"},
		{"french", "bien sûr que non", "no"},
		{"french", "absolument pas", "no"},
		{"french", "ça marche", "yes"},
		{"spanish", "sí claro", "yes"},
		{"spanish", "claro que no", "no"},
		{"spanish", "por supuesto que no", "no"},
		{"spanish", "no estoy de acuerdo", "no"},
		{"spanish", "no hay problema", "yes"},
		{"italian", "certo", "yes"},
		{"italian", "certo che no", "no"},
		{"italian", "non sono d'accordo", "no"},
		{"italian", "come no", "yes"},
		{"portuguese", "nao", "no"},
		{"portuguese", "nao obrigado", "no"},
		{"french", "bien sur", "yes"},
		{"portuguese", "claro que não", "no"},
		{"portuguese", "não está certo", "no"},
		{"portuguese", "sem problema", "yes"},
		{"dutch", "nee", "no"},
		{"dutch", "ja hoor", "yes"},
		{"dutch", "natuurlijk niet", "no"},
		{"dutch", "klopt niet", "no"},
		{"swedish", "nej tack", "no"},
		{"swedish", "absolut inte", "no"},
		{"danish", "bestemt ikke", "no"},
		{"norwegian", "absolutt ikke", "no"},
		{"finnish", "ei käy", "no"},
		{"finnish", "käy", "yes"},
		{"hungarian", "persze hogy nem", "no"},
		{"romanian", "sigur că nu", "no"},
		{"romanian", "nu e corect", "no"},
		{"turkish", "tabii ki", "yes"},
		{"turkish", "tabii ki hayır", "no"},
		{"turkish", "yok, sağ ol", "no"},
		{"russian", "конечно нет", "no"},
		{"russian", "без проблем", "yes"},
		{"catalan", "és clar que no", "no"},
		{"serbian", "naravno da ne", "no"},
		{"indonesian", "gak usah", "no"},
		{"zh", "是", "yes"},
		{"zh", "是的", "yes"},
		{"zh", "好的，谢谢", "yes"},
		{"zh", "好的我要两杯", "yes"},
		{"zh", "对", "yes"},
		{"zh", "對的", "yes"},
		{"zh", "可以", "yes"},
		{"zh", "行", "yes"},
		{"zh", "没问题", "yes"},
		{"zh", "沒問題", "yes"},
		{"zh", "不", "no"},
		{"zh", "不是", "no"},
		{"zh", "不要了", "no"},
		{"zh", "我不要", "no"},
		{"zh", "没有", "no"},
		{"zh", "不用了，谢谢", "no"},
		{"zh", "不好", "no"},
		{"zh", "不对", "no"},
		{"zh", "不可以", "no"},
		{"ja", "はい", "yes"},
		{"ja", "はい、お願いします", "yes"},
		{"ja", "はいお願いします", "yes"},
		{"ja", "ええ", "yes"},
		{"ja", "うん", "yes"},
		{"ja", "そうです", "yes"},
		{"ja", "お願いします", "yes"},
		{"ja", "いいえ", "no"},
		{"ja", "いいえ、結構です", "no"},
		{"ja", "結構です", "no"},
		{"ja", "いや", "no"},
		{"ja", "いらないです", "no"},
		{"ja", "だめです", "no"},
		{"ko", "네", "yes"},
		{"ko", "네, 두 잔 주세요", "yes"},
		{"ko", "예", "yes"},
		{"ko", "응", "yes"},
		{"ko", "좋아요", "yes"},
		{"ko", "아니요", "no"},
		{"ko", "아니요, 괜찮아요", "no"},
		{"ko", "아니", "no"},
		{"ko", "싫어요", "no"},
		{"ko", "안 좋아요", "no"},
		{"he", "כן, בבקשה", "yes"},
		{"he", "בטח", "yes"},
		{"he", "אין בעיה", "yes"},
		{"he", "לא, תודה", "no"},
		{"he", "לא נכון", "no"},
		{"he", "ברור שלא", "no"},
		{"uk", "так, звісно", "yes"},
		{"uk", "без проблем", "yes"},
		{"uk", "ні, дякую", "no"},
		{"uk", "не треба", "no"},
		{"uk", "звісно що ні", "no"},
		{"uk", "не згоден", "no"},
		{"cs", "ano, prosím", "yes"},
		{"cs", "no jasně", "yes"},
		{"cs", "není problém", "yes"},
		{"cs", "ne, díky", "no"},
		{"cs", "vůbec ne", "no"},
		{"cs", "ne souhlasím", "no"},
		{"bg", "да, разбира се", "yes"},
		{"bg", "няма проблем", "yes"},
		{"bg", "не, благодаря", "no"},
		{"bg", "разбира се че не", "no"},
		{"bg", "не е точно", "no"},
		{"vi", "vâng", "yes"},
		{"vi", "có", "yes"},
		{"vi", "dạ, được", "yes"},
		{"vi", "không sao", "yes"},
		{"vi", "không", "no"},
		{"vi", "không cần, cảm ơn", "no"},
		{"vi", "không đúng", "no"},
		{"vi", "khong", "no"}, // typed without its tone marks
		{"th", "ใช่", "yes"},
		{"th", "ใช่ครับ", "yes"},
		{"th", "ครับ", "yes"},
		{"th", "ได้เลยค่ะ", "yes"},
		{"th", "ตกลง", "yes"},
		{"th", "ไม่", "no"},
		{"th", "ไม่ครับ", "no"},
		{"th", "ไม่เอาครับ", "no"},
		{"th", "ไม่ใช่", "no"},
		{"th", "ไม่ต้องค่ะ", "no"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			x, _ := nlu.System("yes-no", nlu.WithLanguage(tt.lang))
			got := x.Extract(tt.text)
			if len(got) == 0 || got[0].Value != tt.want {
				t.Errorf("got %+v, want %s first", got, tt.want)
			}
			for _, e := range got {
				if e.Value != tt.want {
					t.Errorf("got %+v, want only %s", got, tt.want)
				}
			}
		})
	}
	// Neither yes nor no: words with other accents are other words.
	for _, tt := range []struct{ lang, text string }{
		{"greek", "πότε ανοίγετε;"}, // when do you open? ("ποτέ" is never)
		{"spanish", "el tren que va a Madrid"},
		{"english", "maybe later"},
		{"sesotho", "kopi e le nngwe ka kopo"}, // one cup, please: "e" is yes only first
		{"persian", "صبح به خیر"},              // good morning: "خیر" alone is not no
		{"persian", "ممکن است فردا باشد"},      // it may be tomorrow: "باشد" is not yes
		{"zh", "银行在哪里"},                        // where is the bank: "行" (all right) inside a word
		{"zh", "好吃吗"},                          // is it tasty
		{"zh", "我是学生"},                         // I am a student
		{"zh", "好不好"},                          // all right? a question
		{"ja", "ええと"},                          // um: "ええ" (yes) inside a word
		{"ja", "結構おいしい"},                       // quite tasty: "結構です" (no thanks) only as spelled
		{"ja", "そうですか"},                        // is that so?
		{"ko", "네 잔 주세요"},                      // four cups: "네" before a counter is four
		{"vi", "tôi có hai con"},               // I have two children: "có" is yes only first
		{"th", "ไม่อร่อย"},                     // not tasty
		{"th", "กาแฟไม่หวานครับ"},              // coffee without sugar: "ครับ" is yes only first
	} {
		x, _ := nlu.System("yes-no", nlu.WithLanguage(tt.lang))
		if got := x.Extract(tt.text); len(got) != 0 {
			t.Errorf("%s %q: got %+v, want neither yes nor no", tt.lang, tt.text, got)
		}
	}
	// Each language reads its own words, not another's.
	de, _ := nlu.System("yes", nlu.WithLanguage("de"))
	if got := de.Extract("oui"); len(got) != 0 {
		t.Errorf("german yes in %q: got %+v, want none", "oui", got)
	}
}

// TestOrdinalIntegers checks that ordinals are integers in each language
// with ordinals, as English's are.
func TestOrdinalIntegers(t *testing.T) {
	for lang, text := range map[string]string{
		"english": "the second", "german": "der zweite", "french": "la deuxième", "spanish": "la segunda",
		"italian": "il secondo", "portuguese": "o segundo", "dutch": "de tweede",
	} {
		x, _ := nlu.System("integer", nlu.WithLanguage(lang))
		if got := spans(x.Extract(text)); !strings.HasPrefix(got, "2@") {
			t.Errorf("%s %q: got %q, want the integer 2", lang, text, got)
		}
	}
}

// unstemmedLanguages are the languages without a stemmer whose numbers,
// yes and no are read.
var unstemmedLanguages = []string{"bulgarian", "chinese", "hebrew", "japanese", "korean", "thai", "ukrainian", "vietnamese"}

// TestUnstemmedLanguageCodes checks that the languages read unstemmed are
// named by their ISO 639-1 codes too, and are not stemmed.
func TestUnstemmedLanguageCodes(t *testing.T) {
	for code, want := range map[string]string{"bg": "bulgarian", "zh": "chinese", "he": "hebrew",
		"iw": "hebrew", "ja": "japanese", "ko": "korean", "th": "thai", "uk": "ukrainian", "vi": "vietnamese", "ZH": "chinese"} {
		if got := nlu.LanguageName(code); got != want {
			t.Errorf("LanguageName(%q): got %q, want %q", code, got, want)
		}
	}
	for _, l := range unstemmedLanguages {
		if slices.Contains(nlu.Languages, l) {
			t.Errorf("%s is among the stemmed languages", l)
		}
	}
}

// TestLanguageNameRegion checks that a code with a region names its
// language, so that WithLanguage("zh-CN") reads Chinese numbers.
func TestLanguageNameRegion(t *testing.T) {
	for code, want := range map[string]string{"de-DE": "german", "pt_BR": "portuguese", "zh-CN": "chinese",
		"zh-Hant-TW": "chinese", "ja-JP": "japanese", "cs-CZ": "czech", "xx-YY": "xx-yy", "de-": "de-", "none": "none"} {
		if got := nlu.LanguageName(code); got != want {
			t.Errorf("LanguageName(%q): got %q, want %q", code, got, want)
		}
	}
	x, _ := nlu.System("number", nlu.WithLanguage("zh-CN"))
	if got := spans(x.Extract("我要三杯咖啡")); !strings.HasPrefix(got, "3@") {
		t.Errorf(`WithLanguage("zh-CN") "我要三杯咖啡": got %q, want the number 3`, got)
	}
}

// FuzzNumbers checks the number, integer and yes-no entities of every
// language on any text: no panic, each span inside the text and its Text,
// in order without overlaps, and each number finite.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{
		"zweiundzwanzig", "quatre-vingt-dix-sept", "veintiún", "l'ottavo", "दो सौ पचास", "साढ़े तीन सौ", "a dó dhéag",
		"خمسة وعشرون", "sto dvadeset", "ניין און צוואַנציק", "9999999999 millionen", "2ème", "1º", "claro que no",
		"no estoy de acuerdo", "mille mille mille", "हम दो हैं", "quoi de neuf", "-3 et 5", "٣", "tooghalvtreds",
		"我要三杯咖啡", "三万一千", "好的我要两杯", "はいお願いします", "ピザを3枚", "두잔", "하나만", "네 잔",
		"ขอกาแฟสองแก้ว", "ไม่เอาครับ", "hai mươi lăm", "năm 2024", "עשרים ושלוש", "dvaadvacet",
	} {
		f.Add(s)
	}
	f.Add(strings.Repeat("9", 300) + " trillion " + strings.Repeat("9", 305) + " Milliarden")
	var xs []nlu.Extractor
	// The stemmed languages and those whose words are read unstemmed.
	for _, lang := range append(slices.Clone(nlu.Languages), unstemmedLanguages...) {
		for _, name := range []string{"number", "integer", "yes-no"} {
			x, _ := nlu.System(name, nlu.WithLanguage(lang))
			xs = append(xs, x)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, x := range xs {
			end := 0
			for _, e := range x.Extract(s) {
				if e.Start < end || e.End > len(s) || e.Start >= e.End || s[e.Start:e.End] != e.Text {
					t.Fatalf("%s.Extract(%q): bad span %+v", e.Name, s, e)
				}
				end = e.End
				if e.Name == "yes-no" {
					if e.Value != "yes" && e.Value != "no" {
						t.Fatalf("yes-no.Extract(%q): value %q", s, e.Value)
					}
					continue
				}
				if v, err := strconv.ParseFloat(e.Value, 64); err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					t.Fatalf("%s.Extract(%q): value %q is no finite number", e.Name, s, e.Value)
				}
			}
		}
	})
}
