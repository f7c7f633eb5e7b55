package nlu

import (
	"strings"
	"sync"
)

// detectLists are the function words DetectLanguage counts, per script
// and language: the articles, pronouns and possessives, prepositions,
// conjunctions, forms of be and have, modal verbs (can, want, would
// like), negations, question words and a few particles of each, the
// commonest of Snowball's stop-word lists and of chat messages. A word
// with an apostrophe is an elided word ("l'", "dell'"); accents are
// folded where detectKey folds them.
var detectLists = []struct {
	script      int
	name, words string
}{
	{scriptLatin, "english", "the a an and or but of to in on at for with from by about as into than is are was were be been am do does did have has had " +
		"i me my mine you your yours he him his she her it its we us our they them their this that these those what which who whom whose " +
		"where when why how can could would should will shall may might must not no don't doesn't didn't can't won't isn't i'm it's i'd " +
		"i'll you're what's there here if so just some any all"},
	{scriptLatin, "spanish", "el la los las un una unos unas lo de del al a en con por para sin sobre entre hasta desde y o pero que qué quién quiénes " +
		"cuál cuáles cuándo cuando dónde donde cómo como cuánto cuántos cuánta porque es son está están estás estoy soy eres ser estar hay " +
		"ha he has han tengo tiene tienes me mi mis te tu tus su sus se nos yo tú él ella usted ustedes nosotros le les este esta esto ese " +
		"esa eso muy más ya no sí también puedo puedes puede quiero quieres"},
	{scriptLatin, "portuguese", "o a os as um uma uns umas de do da dos das no na nos nas em ao aos à pelo pela por para com sem sobre entre até e ou " +
		"mas que quê quem qual quais quando onde como quanto porque é são está estão estou sou és ser estar há tem tenho têm eu tu você " +
		"vocês ele ela nós eles elas me meu minha meus minhas te teu tua seu sua seus suas se lhe isso isto esse essa este esta muito " +
		"mais já não sim também posso pode podes quero gostaria"},
	{scriptLatin, "catalan", "el la els les un una uns unes l' d' de del dels al als a en amb per sense sobre entre fins i o però que què qui quin quina " +
		"quins quan on com quant perquè és són està estan estic sóc ser estar hi ha ho tinc té tens em m' et t' es s' ens us li meu meva " +
		"meus teu teva seu seva aquest aquesta això aquell molt més ja no sí també puc pots pot vull voldria"},
	{scriptLatin, "french", "le la les l' un une des du de d' au aux à en dans par pour avec sans sur sous entre chez et ou mais que qu' qui quoi quel quelle " +
		"quels quelles quand où comment combien pourquoi est sont suis es être ai as a ont avez avons je j' tu il elle on nous vous ils " +
		"elles me m' te t' se s' moi toi mon ma mes ton ta tes son sa ses notre votre vos leur ce c' cet cette ces ça cela très plus ne n' " +
		"pas oui non aussi peux peut veux voudrais y"},
	{scriptLatin, "italian", "il lo la i gli le l' un uno una un' di d' del dello della dei degli delle dell' a al allo alla ai agli alle all' da dal " +
		"dalla dall' in nel nella nei nell' su sul sulla con per tra fra e ed o ma che chi cosa quale quali quando dove come quanto perché " +
		"è sono sei siamo siete essere ho hai ha abbiamo hanno io tu lui lei noi voi loro mi ti si ci vi ne mio mia miei mie tuo tua " +
		"tuoi suo sua questo questa quello quella molto più già non sì anche posso puoi può voglio vorrei"},
	{scriptLatin, "romanian", "și sau dar nu da este sunt e eu tu el ea noi voi ei ele mă mi te îmi îți meu mea mei tău ta său sa lor ce cine unde " +
		"când cum cât care că să la în pe cu din de pentru despre fără un o unei unui al ale acest această asta ăsta foarte mai deja " +
		"pot poți vreau aș vă rog"},
	{scriptLatin, "german", "der die das den dem des ein eine einen einem einer und oder aber nicht kein keine ich du er sie es wir ihr mich mir dich " +
		"dir uns euch mein meine meinen dein deine sein seine ihre ist sind bin bist war haben habe hast hat wird werden kann kannst " +
		"können möchte will muss zu im in am an auf aus bei mit nach von vom für um über unter wie was wer wo wann warum welche " +
		"welcher wieviel noch schon auch sehr bitte ja nein gibt"},
	{scriptLatin, "dutch", "de het een en of maar niet geen ik je jij u hij zij ze we wij jullie mij me mijn jouw uw zijn haar ons onze is ben " +
		"bent was heb hebt heeft hebben kan kun kunt wil wilt moet mag zal van in op aan met voor naar bij uit over om te door tot dat " +
		"die dit deze wat wie waar wanneer waarom hoe welke ook nog al er hier daar graag alsjeblieft"},
	{scriptLatin, "danish", "jeg du han hun vi de mig dig os jer min mit mine din dit dine er var har have kan vil skal må og eller men ikke at i på " +
		"til med af for fra om hvad hvor hvem hvornår hvordan hvorfor hvilken det den der en et som også meget noget nogen her nu " +
		"gerne tak"},
	{scriptLatin, "norwegian", "jeg du han hun vi de meg deg oss dere min mitt mine din ditt dine er var har ha kan vil skal må og eller men ikke at " +
		"i på til med av for fra om hva hvor hvem når hvordan hvorfor hvilken det den der en et ei som også mye noe noen her nå " +
		"gjerne takk"},
	{scriptLatin, "swedish", "jag du han hon vi ni de mig dig oss er min mitt mina din ditt dina är var har ha kan vill ska skall måste och eller men " +
		"inte att i på till med av för från om vad vem när hur varför vilken det den där en ett som också mycket något någon här nu " +
		"gärna tack"},
	{scriptLatin, "finnish", "ja on ei en et se ne minä mä sinä sä hän me te he minun sinun hänen meidän teidän minulla sinulla olen olet ovat oli " +
		"olla voi voin voitko haluan haluaisin mikä mitä missä milloin miten miksi kuka kanssa että tai mutta kuin myös nyt jo vielä " +
		"tämä tuo tämän sen kun jos niin kiitos"},
	{scriptLatin, "estonian", "ja on ei ma mina sa sina ta tema me meie te teie nad minu sinu mul sul tal olen oled oli olla saab saan kas mis kus " +
		"millal kuidas miks kes see need et või aga kui ka nüüd veel siin palun tahan"},
	{scriptLatin, "hungarian", "a az egy és vagy de nem is hogy van vannak volt lesz én te ő mi ti engem téged nekem neked meg mit ki hol mikor " +
		"hogyan miért melyik milyen ez ezt azt ezek azok itt ott már még csak nagyon kell lehet tudok tudsz szeretnék szeretném " +
		"kérem kérek"},
	{scriptLatin, "polish", "i w z na do nie się to jest są jestem jesteś być ja ty on ona my wy oni mnie mi cię ci mój moja moje twój twoja " +
		"jego jej ich co kto gdzie kiedy jak dlaczego który która czy że ale lub albo o od po przez dla za przy bardzo już jeszcze " +
		"też tak tylko może mogę możesz chcę chciałbym proszę"},
	{scriptLatin, "czech", "a ani ale ne ano je jsou jsem jsi být já ty on ona my vy oni mě mi tě ti můj moje tvůj tvoje jeho její co kdo kde kdy " +
		"jak proč který která kolik že nebo v ve na za s se od do z ze o po k pro při přes to tento tato velmi už ještě jen také můžu " +
		"může chci chtěl prosím"},
	{scriptLatin, "lithuanian", "ir arba bet ne taip yra esu esi buvo būti aš tu jis ji mes jūs jie mano tavo jo jos mūsų jūsų man tau mane tave " +
		"kas kur kada kaip kodėl kuris kiek ar su be iš į už apie per po prie nuo dėl tai šis ši tas ta labai jau dar tik irgi galiu " +
		"gali noriu norėčiau prašau"},
	{scriptLatin, "serbian", "i ili ali ne da je su sam si smo ste biti ja ti on ona mi vi oni me mene meni te tebe tebi moj moja moje tvoj tvoja " +
		"njegov njen naš vaš šta što ko gde gdje kada kako zašto koji koja koliko li u na za sa s od do iz o po kod prema ovo to taj " +
		"ova veoma vrlo već još samo može mogu možeš hoću želim molim"},
	{scriptLatin, "turkish", "ve veya ama bir bu şu o ben sen biz siz onlar beni bana seni sana benim senin onun bizim ne kim nerede zaman nasıl " +
		"neden niçin hangi kaç mi mı mu mü var yok değil ile için gibi daha çok en de da ki ise lütfen istiyorum"},
	{scriptLatin, "indonesian", "yang dan di ke dari ini itu dengan untuk tidak tak bukan saya aku anda kamu dia kami kita mereka apa siapa mana " +
		"kapan bagaimana mengapa kenapa berapa apakah ada adalah akan sudah belum bisa dapat mau ingin boleh tolong juga lagi saja " +
		"sangat atau tetapi tapi pada oleh karena jika kalau"},
	{scriptLatin, "irish", "agus an na is tá níl ní sé sí mé tú muid sibh siad mo do a ár bhur ag ar le de i chun ó faoi go conas cad cá cé " +
		"cén cathain nach ba bhí ann seo sin freisin bhfuil raibh"},
	{scriptLatin, "basque", "eta edo baina ez bai da dira naiz zara dut duzu du dugu dute nire zure bere gure zuen ni zu hura gu zuek haiek zer " +
		"nor non noiz nola zergatik zenbat zein hau hori hemen han oso ere bat batzuk ahal nahi dezaket mesedez al"},
	{scriptLatin, "esperanto", "la kaj aŭ sed ne jes mi vi li ŝi ĝi ni ili min vin lin mia via lia ŝia nia ilia estas estis esti havas havi " +
		"povas povi volas voli de al en el kun por pri per sur sen ĉe ĝis kio kiu kie kiam kiel kial kiom ĉu tio tiu ĉi ankaŭ " +
		"tre jam nur plu bonvolu"},
	{scriptLatin, "vietnamese", "tôi bạn anh của và không được cho với này đó gì đâu bao nhiêu khi trong các những một thì đã " +
		"đang muốn làm vâng rồi chưa cũng nhé tại đến mình"},
	{scriptLatin, "sesotho", "ke ho hore ya wa tse tsa eng kae jwang hobaneng nna wena yena rona bona ena eo hona haholo hape feela kopa kea le " +
		"ba sa ka"},
	{scriptCyrillic, "russian", "и или но а не да нет это есть быть был я ты он она оно мы вы они меня мне тебя тебе его ее нас вам мой моя мое " +
		"мои твой твоя ваш ваша наш что кто где когда как почему зачем какой какая сколько ли в во на за с со от до из о об по к у " +
		"для про при через этот эта тот очень уже еще только тоже можно могу может хочу хотел пожалуйста"},
	{scriptCyrillic, "ukrainian", "і й та або але не так ні це є бути був я ти він вона воно ми ви вони мене мені тебе тобі його її нас вам мій " +
		"моя моє мої твій твоя ваш наш що хто де коли як чому навіщо який яка скільки чи в у на за з зі від до із про по для при " +
		"через цей ця той дуже вже ще тільки теж також можна можу може хочу будь ласка"},
	{scriptCyrillic, "bulgarian", "и или но а не да е са съм си сме сте бъда бях аз ти той тя то ние вие те мен мене ми теб него нея нас вас мой " +
		"моя мое мои твой твоя ваш наш какво кой коя къде кога как защо колко ли в във на за с със от до из по към при през този " +
		"тази това онзи много вече още само също може мога искам моля ще"},
	{scriptCyrillic, "serbian", "и или али не да је су сам си смо сте бити ја ти он она ми ви они ме мене мени те тебе теби мој моја моје " +
		"твој твоја његов њен наш ваш шта што ко где када како зашто који која колико ли у на за са с од до из о по код ово то " +
		"тај ова веома врло већ још само може могу можеш хоћу желим молим"},
	{scriptArabic, "arabic", "في من إلى الى على عن مع هل ما ماذا كيف أين متى لماذا كم أي هذا هذه ذلك تلك هو هي أنا أنت نحن أنتم هم لا نعم " +
		"لم لن قد كان كانت يكون أن إن التي الذي و أو لكن ثم أريد أود يمكن يمكنني ممكن لو فضلك عند لي لك"},
	{scriptArabic, "persian", "در از به با برای که را این آن است هست نیست هستم من تو او ما شما آنها چه چی چرا کجا کی چطور چگونه چند کدام و " +
		"یا اما نه بله آره هم خیلی می میخواهم میخوام میشه میتوانم لطفا"},
	{scriptArabic, "urdu", "ہے ہیں تھا تھی تھے اور یا لیکن نہیں نہ ہاں میں تم آپ وہ ہم مجھے میرا میری میرے کا کی کے کو سے پر تک لیے " +
		"کیا کون کہاں کب کیسے کیوں کتنا یہ بہت بھی ہی اب سکتا سکتی چاہیے چاہتا براہ کرم"},
	{scriptHebrew, "hebrew", "של את אני אתה הוא היא אנחנו אתם הם זה זאת לא כן מה מי איפה מתי איך למה כמה איזה עם על אל יש אין גם רק כל " +
		"אם כי או אבל היה הייתה להיות אפשר רוצה רוצים יכול יכולה שלי שלך לי לך בבקשה"},
	{scriptHebrew, "yiddish", "און אָדער אָבער ניט נישט יאָ ניין איך דו ער זי עס מיר איר זיי מיך מײַן דײַן זײַן אונדזער וואָס ווער ווו ווען ווי " +
		"פֿאַר פֿון מיט צו אין אויף ביי דער די דאָס אַ אַן איז זענען בין ביסט האָב האָסט האָט קען קענען וויל זייער שוין נאָך " +
		"אויך ביטע"},
	{scriptDevanagari, "hindi", "है हैं था थी थे हो होता होती और या लेकिन नहीं न हाँ मैं तुम आप वह वे हम मुझे मेरा मेरी मेरे तुम्हारा आपका " +
		"आपकी उसका उसकी का की के को में से पर तक लिए क्या कौन कहाँ कब कैसे क्यों कितना कितने यह ये वो बहुत भी ही अभी सकता " +
		"सकती सकते चाहिए चाहता चाहती कृपया"},
	{scriptDevanagari, "nepali", "छ छन् छु छौ हो होइन थियो र वा तर छैन म तिमी तपाईं ऊ उनी हामी मलाई मेरो तिम्रो तपाईंको उसको को का की लाई " +
		"मा बाट देखि सम्म लागि के कहाँ कहिले कसरी किन कति कुन यो ती त्यो धेरै पनि नै अहिले सक्छ सक्छु चाहन्छु कृपया " +
		"गर्नुहोस्"},
	{scriptDevanagari, "marathi", "आहे आहेत होता होते आणि किंवा पण नाही हो मी तू तुम्ही आपण तो ती ते आम्ही मला माझा माझी माझे तुमचा तुमची " +
		"तुझा चा ची चे ला मध्ये वर पासून साठी काय कोण कुठे केव्हा कसे का किती कोणता हा ही हे खूप सुद्धा आता शकतो शकता " +
		"पाहिजे कृपया"},
}

// detectLetters are, per script, the letters only some of its languages
// write: a word with one of them is evidence for those.
var detectLetters = []struct {
	script         int
	letters, names string
}{
	{scriptLatin, "ơư" + vietnameseVowels(), "vietnamese"},
	{scriptCyrillic, "ыэё", "russian"},
	{scriptCyrillic, "іїєґ", "ukrainian"},
	{scriptCyrillic, "ъ", "bulgarian"},
	{scriptCyrillic, "ђјљњћџ", "serbian"},
	{scriptArabic, "ةيك", "arabic"},
	{scriptArabic, "پچژگیک", "persian urdu"},
	{scriptArabic, "ےںٹڈڑھہ", "urdu"},
	{scriptHebrew, "\u05f0\u05f1\u05f2\u05bf", "yiddish"},
}

var (
	detectOnce  sync.Once
	detectLangs []struct {
		name   string
		script int
	}
	detectWords map[string]uint64         // key (see detectKey) -> languages, as bits of detectLangs
	scriptCues  [nScripts]map[rune]uint64 // letter -> languages
)

const nDetect = 64

func detectInit() {
	detectOnce.Do(func() {
		detectWords = map[string]uint64{}
		index := map[string]int{}
		for i, l := range detectLists {
			if i >= nDetect {
				panic("nlu: more languages to detect than bits")
			}
			detectLangs = append(detectLangs, struct {
				name   string
				script int
			}{l.name, l.script})
			index[l.name] = i
			for _, w := range strings.Fields(l.words) {
				detectWords[detectKey(Normalize(w), l.script)] |= 1 << i
			}
		}
		for _, c := range detectLetters {
			if scriptCues[c.script] == nil {
				scriptCues[c.script] = map[rune]uint64{}
			}
			for _, name := range strings.Fields(c.names) {
				for _, r := range c.letters {
					scriptCues[c.script][r] |= 1 << index[name]
				}
			}
		}
	})
}

// vietnameseVowels are the vowels with a tone mark that Vietnamese writes
// (Unicode's Latin Extended Additional from U+1EA0, "ạ" to "ỹ").
func vietnameseVowels() string {
	var b strings.Builder
	for r := rune(0x1ea0); r <= 0x1ef9; r++ {
		b.WriteRune(r)
	}
	return b.String()
}
