package nlu_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/parleybot/parley/nlu"
)

// detectBots are a few requests to a shop's bot in each language
// DetectLanguage names, written for these tests (orders,
// deliveries, opening hours, accounts): each must be named, confidently.
var detectBots = []struct {
	name, want string
	phrases    []string
}{
	{"english", "english", []string{
		"what is the weather like today",
		"can you tell me my account balance",
		"I want to book a table for two",
		"how do I reset my password",
		"where is the nearest store",
		"is there a fee for cancelling my order",
		"I would like to talk to a person",
		"what time do you open on Sunday",
	}},
	{"spanish", "spanish", []string{
		"quiero pedir una pizza grande",
		"dónde está mi pedido",
		"cuánto cuesta el envío a Madrid",
		"me gustaría cancelar la reserva",
		"a qué hora abren los domingos",
		"puedes ayudarme con mi cuenta",
		"no puedo entrar en la aplicación",
		"hay alguna oferta para estudiantes",
	}},
	{"portuguese", "portuguese", []string{
		"quero fazer um pedido",
		"onde está a minha encomenda",
		"quanto custa o envio para Lisboa",
		"gostaria de cancelar a reserva",
		"a que horas vocês abrem no domingo",
		"você pode me ajudar com a minha conta",
		"não consigo entrar no aplicativo",
		"tem alguma promoção para estudantes",
	}},
	{"catalan", "catalan", []string{
		"vull demanar una pizza gran",
		"on és la meva comanda",
		"quant costa l'enviament a Girona",
		"voldria cancel·lar la reserva",
		"a quina hora obriu els diumenges",
		"em pots ajudar amb el meu compte",
		"no puc entrar a l'aplicació",
		"hi ha alguna oferta per als estudiants",
	}},
	{"french", "french", []string{
		"je voudrais commander une pizza",
		"où est ma commande",
		"combien coûte la livraison à Lyon",
		"je veux annuler ma réservation",
		"à quelle heure ouvrez-vous le dimanche",
		"pouvez-vous m'aider avec mon compte",
		"je n'arrive pas à me connecter à l'application",
		"est-ce qu'il y a une offre pour les étudiants",
	}},
	{"italian", "italian", []string{
		"vorrei ordinare una pizza",
		"dov'è il mio ordine",
		"quanto costa la spedizione a Roma",
		"voglio cancellare la prenotazione",
		"a che ora aprite la domenica",
		"puoi aiutarmi con il mio account",
		"non riesco ad accedere all'app",
		"c'è qualche offerta per gli studenti",
	}},
	{"romanian", "romanian", []string{
		"aș vrea să comand o pizza",
		"unde este comanda mea",
		"cât costă livrarea în Cluj",
		"vreau să anulez rezervarea",
		"la ce oră deschideți duminica",
		"mă puteți ajuta cu contul meu",
		"nu pot să intru în aplicație",
		"există vreo ofertă pentru studenți",
	}},
	{"german", "german", []string{
		"ich möchte eine Pizza bestellen",
		"wo ist meine Bestellung",
		"was kostet der Versand nach Berlin",
		"ich will die Reservierung stornieren",
		"wann habt ihr am Sonntag geöffnet",
		"kannst du mir mit meinem Konto helfen",
		"ich kann mich nicht in der App anmelden",
		"gibt es ein Angebot für Studenten",
	}},
	{"dutch", "dutch", []string{
		"ik wil een pizza bestellen",
		"waar is mijn bestelling",
		"wat kost de verzending naar Utrecht",
		"ik wil de reservering annuleren",
		"hoe laat gaan jullie op zondag open",
		"kun je me helpen met mijn account",
		"ik kan niet inloggen in de app",
		"is er een aanbieding voor studenten",
	}},
	{"danish", "danish", []string{
		"jeg vil gerne bestille en pizza",
		"hvor er min ordre",
		"hvad koster levering til Aarhus",
		"jeg vil annullere min reservation",
		"hvornår åbner I om søndagen",
		"kan du hjælpe mig med min konto",
		"jeg kan ikke logge ind i appen",
		"er der et tilbud til studerende",
		"hvad er jeres åbningstider",
		"jeg har glemt min adgangskode",
		"kan jeg betale med kort",
		"hvor lang tid tager det at få pakken",
		"jeg vil gerne tale med en medarbejder",
		"hvad koster det at ændre min booking",
		"hvad sker der hvis jeg ikke kan komme",
		"jeg vil gerne have en kvittering",
		"kan I sende det til min adresse",
		"hvornår får jeg mine penge tilbage",
	}},
	{"norwegian", "norwegian", []string{
		"jeg vil gjerne bestille en pizza",
		"hvor er bestillingen min",
		"hva koster frakt til Bergen",
		"jeg vil avbestille reservasjonen",
		"når åpner dere på søndag",
		"kan du hjelpe meg med kontoen min",
		"jeg får ikke logget inn i appen",
		"er det et tilbud for studenter",
		"hva er åpningstidene deres",
		"jeg har glemt passordet mitt",
		"kan jeg betale med kort",
		"hvor lang tid tar det før pakken kommer",
		"jeg vil gjerne snakke med en ansatt",
		"hva koster det å endre bestillingen min",
	}},
	{"swedish", "swedish", []string{
		"jag vill beställa en pizza",
		"var är min beställning",
		"vad kostar frakten till Malmö",
		"jag vill avboka min bokning",
		"när öppnar ni på söndag",
		"kan du hjälpa mig med mitt konto",
		"jag kan inte logga in i appen",
		"finns det ett erbjudande för studenter",
	}},
	{"finnish", "finnish", []string{
		"haluaisin tilata pizzan",
		"missä minun tilaukseni on",
		"paljonko toimitus maksaa Tampereelle",
		"haluan peruuttaa varauksen",
		"mihin aikaan olette auki sunnuntaina",
		"voitko auttaa minua tilini kanssa",
		"en pääse kirjautumaan sovellukseen",
		"onko opiskelijoille tarjousta",
		"mitkä ovat teidän aukioloajat",
		"unohdin salasanani",
		"voinko maksaa kortilla",
		"kuinka kauan paketti on matkalla",
		"haluan puhua asiakaspalvelijan kanssa",
		"paljonko varauksen muuttaminen maksaa",
	}},
	{"estonian", "estonian", []string{
		"ma tahaksin tellida pitsa",
		"kus on minu tellimus",
		"kui palju maksab saatmine Tartusse",
		"ma tahan broneeringu tühistada",
		"mis kell te pühapäeval avate",
		"kas sa saad mind minu kontoga aidata",
		"ma ei saa rakendusse sisse logida",
		"kas üliõpilastele on mõni pakkumine",
		"mis on teie lahtiolekuajad",
		"ma unustasin oma parooli",
		"kas ma saan kaardiga maksta",
		"kui kaua pakk aega võtab",
		"ma tahan rääkida teenindajaga",
		"kui palju maksab broneeringu muutmine",
	}},
	{"hungarian", "hungarian", []string{
		"szeretnék rendelni egy pizzát",
		"hol van a rendelésem",
		"mennyibe kerül a szállítás Debrecenbe",
		"le szeretném mondani a foglalást",
		"hánykor nyitnak vasárnap",
		"tudsz segíteni a fiókommal",
		"nem tudok bejelentkezni az alkalmazásba",
		"van valami ajánlat a diákoknak",
		"mi a nyitvatartás",
		"elfelejtettem a jelszavamat",
		"lehet kártyával fizetni",
		"mennyi ideig tart a szállítás",
		"egy ügyintézővel szeretnék beszélni",
		"mennyibe kerül a foglalás módosítása",
	}},
	{"polish", "polish", []string{
		"chciałbym zamówić pizzę",
		"gdzie jest moje zamówienie",
		"ile kosztuje dostawa do Krakowa",
		"chcę anulować rezerwację",
		"o której otwieracie w niedzielę",
		"czy możesz mi pomóc z moim kontem",
		"nie mogę się zalogować do aplikacji",
		"czy jest jakaś oferta dla studentów",
	}},
	{"czech", "czech", []string{
		"chtěl bych si objednat pizzu",
		"kde je moje objednávka",
		"kolik stojí doprava do Brna",
		"chci zrušit rezervaci",
		"v kolik hodin v neděli otevíráte",
		"můžeš mi pomoct s mým účtem",
		"nemůžu se přihlásit do aplikace",
		"je nějaká nabídka pro studenty",
		"jaká je vaše otevírací doba",
		"zapomněl jsem heslo",
		"můžu platit kartou",
		"jak dlouho trvá doručení",
		"chci mluvit s operátorem",
		"kolik stojí změna rezervace",
	}},
	{"lithuanian", "lithuanian", []string{
		"norėčiau užsisakyti picą",
		"kur yra mano užsakymas",
		"kiek kainuoja pristatymas į Kauną",
		"noriu atšaukti rezervaciją",
		"kada jūs atidarote sekmadienį",
		"ar galite man padėti su mano paskyra",
		"negaliu prisijungti prie programėlės",
		"ar yra koks nors pasiūlymas studentams",
	}},
	{"serbian/latin", "serbian", []string{
		"želim da naručim picu",
		"gde je moja porudžbina",
		"koliko košta dostava do Novog Sada",
		"hoću da otkažem rezervaciju",
		"u koliko sati otvarate u nedelju",
		"možeš li da mi pomogneš sa mojim nalogom",
		"ne mogu da se prijavim u aplikaciju",
		"da li postoji neka ponuda za studente",
	}},
	{"turkish", "turkish", []string{
		"bir pizza sipariş etmek istiyorum",
		"siparişim nerede",
		"İzmir'e kargo ne kadar",
		"rezervasyonu iptal etmek istiyorum",
		"pazar günü saat kaçta açıyorsunuz",
		"hesabımla ilgili bana yardım eder misin",
		"uygulamaya giriş yapamıyorum",
		"öğrenciler için bir indirim var mı",
		"çalışma saatleriniz nedir",
		"şifremi unuttum",
		"kartla ödeme yapabilir miyim",
		"kargo ne kadar sürede gelir",
		"bir müşteri temsilcisiyle konuşmak istiyorum",
		"rezervasyonu değiştirmek ne kadar tutar",
	}},
	{"indonesian", "indonesian", []string{
		"saya mau pesan pizza",
		"di mana pesanan saya",
		"berapa ongkos kirim ke Bandung",
		"saya ingin membatalkan reservasi",
		"jam berapa kalian buka hari minggu",
		"bisakah kamu membantu saya dengan akun saya",
		"saya tidak bisa masuk ke aplikasi",
		"apakah ada promo untuk mahasiswa",
	}},
	{"vietnamese", "vietnamese", []string{
		"tôi muốn đặt một chiếc pizza",
		"đơn hàng của tôi đâu rồi",
		"phí giao hàng đến Đà Nẵng là bao nhiêu",
		"tôi muốn hủy đặt chỗ",
		"chủ nhật các bạn mở cửa lúc mấy giờ",
		"bạn có thể giúp tôi với tài khoản của tôi không",
		"tôi không đăng nhập được vào ứng dụng",
		"có ưu đãi nào cho sinh viên không",
	}},
	{"irish", "irish", []string{
		"ba mhaith liom píotsa a ordú",
		"cá bhfuil m'ordú",
		"cé mhéad a chosnaíonn an seachadadh go Gaillimh",
		"ba mhaith liom an áirithint a chealú",
		"cén t-am a osclaíonn sibh ar an Domhnach",
		"an féidir leat cabhrú liom le mo chuntas",
		"ní féidir liom logáil isteach san aip",
		"an bhfuil tairiscint ann do mhic léinn",
	}},
	{"basque", "basque", []string{
		"pizza bat eskatu nahi dut",
		"non dago nire eskaera",
		"zenbat balio du bidalketak Bilbora",
		"erreserba bertan behera utzi nahi dut",
		"zer ordutan irekitzen duzue igandean",
		"lagun didazu nire kontuarekin",
		"ezin naiz aplikazioan sartu",
		"ba al dago eskaintzarik ikasleentzat",
	}},
	{"esperanto", "esperanto", []string{
		"mi volas mendi picon",
		"kie estas mia mendo",
		"kiom kostas la sendado al Parizo",
		"mi volas nuligi la rezervon",
		"je kioma horo vi malfermas dimanĉe",
		"ĉu vi povas helpi min pri mia konto",
		"mi ne povas ensaluti en la aplikaĵon",
		"ĉu estas oferto por studentoj",
	}},
	{"sesotho", "sesotho", []string{
		"ke batla ho odara pizza",
		"odara ya ka e kae",
		"ho romela ho ya Maseru ho bitsa bokae",
		"ke batla ho hlakola peeletso ya ka",
		"le bula ka nako mang ka Sontaha",
		"na o ka nthusa ka akhaonto ya ka",
		"ha ke kgone ho kena ho app",
		"na ho na le theko e kgethehileng bakeng sa baithuti",
		"le bula ka nako mang",
		"ke lebetse phasewete ya ka",
		"na nka lefa ka karete",
		"ho nka nako e kae hore sephutheloana se fihle",
		"ke batla ho bua le motho",
		"ho fetola peeletso ho bitsa bokae",
	}},
	{"russian", "russian", []string{
		"я хочу заказать пиццу",
		"где мой заказ",
		"сколько стоит доставка в Москву",
		"я хочу отменить бронирование",
		"во сколько вы открываетесь в воскресенье",
		"можете помочь мне с моим аккаунтом",
		"я не могу войти в приложение",
		"есть ли скидка для студентов",
	}},
	{"ukrainian", "ukrainian", []string{
		"я хочу замовити піцу",
		"де моє замовлення",
		"скільки коштує доставка до Києва",
		"я хочу скасувати бронювання",
		"о котрій ви відкриваєтеся в неділю",
		"чи можете ви допомогти мені з моїм акаунтом",
		"я не можу увійти в застосунок",
		"чи є знижка для студентів",
	}},
	{"bulgarian", "bulgarian", []string{
		"искам да поръчам пица",
		"къде е моята поръчка",
		"колко струва доставката до София",
		"искам да отменя резервацията",
		"в колко часа отваряте в неделя",
		"можете ли да ми помогнете с моя профил",
		"не мога да вляза в приложението",
		"има ли отстъпка за студенти",
	}},
	{"serbian/cyrillic", "serbian", []string{
		"желим да наручим пицу",
		"где је моја поруџбина",
		"колико кошта достава до Новог Сада",
		"хоћу да откажем резервацију",
		"у колико сати отварате у недељу",
		"можеш ли да ми помогнеш са мојим налогом",
		"не могу да се пријавим у апликацију",
		"да ли постоји нека понуда за студенте",
	}},
	{"greek", "greek", []string{
		"θέλω να παραγγείλω μια πίτσα",
		"πού είναι η παραγγελία μου",
		"πόσο κοστίζει η αποστολή στη Θεσσαλονίκη",
		"θέλω να ακυρώσω την κράτηση",
		"τι ώρα ανοίγετε την Κυριακή",
		"μπορείς να με βοηθήσεις με τον λογαριασμό μου",
		"δεν μπορώ να συνδεθώ στην εφαρμογή",
		"υπάρχει κάποια προσφορά για φοιτητές",
	}},
	{"arabic", "arabic", []string{
		"أريد أن أطلب بيتزا",
		"أين طلبي",
		"كم تكلفة الشحن إلى القاهرة",
		"أريد إلغاء الحجز",
		"متى تفتحون يوم الأحد",
		"هل يمكنك مساعدتي في حسابي",
		"لا أستطيع تسجيل الدخول إلى التطبيق",
		"هل هناك عرض للطلاب",
	}},
	{"persian", "persian", []string{
		"می‌خواهم یک پیتزا سفارش بدهم",
		"سفارش من کجاست",
		"هزینه ارسال به شیراز چقدر است",
		"می‌خواهم رزرو را لغو کنم",
		"روز یکشنبه چه ساعتی باز می‌کنید",
		"می‌توانید در مورد حسابم به من کمک کنید",
		"نمی‌توانم وارد برنامه شوم",
		"آیا برای دانشجوها تخفیف دارید",
		"ساعت کاری شما چیست",
		"رمز عبورم را فراموش کرده‌ام",
		"آیا می‌توانم با کارت پرداخت کنم",
		"ارسال بسته چقدر طول می‌کشد",
		"می‌خواهم با یک کارشناس صحبت کنم",
		"تغییر رزرو چقدر هزینه دارد",
	}},
	{"urdu", "urdu", []string{
		"میں ایک پیزا آرڈر کرنا چاہتا ہوں",
		"میرا آرڈر کہاں ہے",
		"لاہور تک ڈلیوری کتنے کی ہے",
		"میں بکنگ منسوخ کرنا چاہتا ہوں",
		"آپ اتوار کو کب کھلتے ہیں",
		"کیا آپ میرے اکاؤنٹ میں میری مدد کر سکتے ہیں",
		"میں ایپ میں لاگ ان نہیں کر سکتا",
		"کیا طلبہ کے لیے کوئی رعایت ہے",
		"آپ کے اوقات کار کیا ہیں",
		"میں اپنا پاس ورڈ بھول گیا ہوں",
		"کیا میں کارڈ سے ادائیگی کر سکتا ہوں",
		"پارسل پہنچنے میں کتنا وقت لگتا ہے",
		"میں کسی نمائندے سے بات کرنا چاہتا ہوں",
		"بکنگ تبدیل کرنے کا کتنا خرچ ہے",
	}},
	{"hebrew", "hebrew", []string{
		"אני רוצה להזמין פיצה",
		"איפה ההזמנה שלי",
		"כמה עולה משלוח לחיפה",
		"אני רוצה לבטל את ההזמנה",
		"באיזו שעה אתם פותחים ביום ראשון",
		"אתה יכול לעזור לי עם החשבון שלי",
		"אני לא מצליח להתחבר לאפליקציה",
		"יש הנחה לסטודנטים",
	}},
	{"yiddish", "yiddish", []string{
		"איך וויל באַשטעלן אַ פּיצע",
		"וווּ איז מײַן באַשטעלונג",
		"וויפֿל קאָסט די שיקונג קיין ניו יאָרק",
		"איך וויל אָפּזאָגן די רעזערוואַציע",
		"ווען עפֿנט איר זונטיק",
		"קענסטו מיר העלפֿן מיט מײַן חשבון",
		"איך קען ניט אַרײַנלאָגירן אין דער אַפּ",
		"איז דאָ אַ הנחה פֿאַר סטודענטן",
	}},
	{"hindi", "hindi", []string{
		"मैं एक पिज़्ज़ा ऑर्डर करना चाहता हूँ",
		"मेरा ऑर्डर कहाँ है",
		"दिल्ली तक डिलीवरी का कितना खर्च है",
		"मैं बुकिंग रद्द करना चाहता हूँ",
		"आप रविवार को कितने बजे खुलते हैं",
		"क्या आप मेरे खाते में मेरी मदद कर सकते हैं",
		"मैं ऐप में लॉग इन नहीं कर पा रहा हूँ",
		"क्या छात्रों के लिए कोई छूट है",
	}},
	{"nepali", "nepali", []string{
		"म एउटा पिज्जा अर्डर गर्न चाहन्छु",
		"मेरो अर्डर कहाँ छ",
		"पोखरासम्म डेलिभरीको कति पर्छ",
		"म बुकिङ रद्द गर्न चाहन्छु",
		"तपाईं आइतबार कति बजे खोल्नुहुन्छ",
		"के तपाईं मेरो खातामा मलाई मद्दत गर्न सक्नुहुन्छ",
		"म एपमा लगइन गर्न सक्दिनँ",
		"के विद्यार्थीहरूका लागि छुट छ",
	}},
	{"marathi", "marathi", []string{
		"मला एक पिझ्झा ऑर्डर करायचा आहे",
		"माझी ऑर्डर कुठे आहे",
		"पुण्याला डिलिव्हरीसाठी किती खर्च येईल",
		"मला बुकिंग रद्द करायचे आहे",
		"तुम्ही रविवारी किती वाजता उघडता",
		"तुम्ही माझ्या खात्यासाठी मला मदत करू शकता का",
		"मी ॲपमध्ये लॉग इन करू शकत नाही",
		"विद्यार्थ्यांसाठी काही सवलत आहे का",
		"मला माझा पासवर्ड आठवत नाही",
		"मी कार्डने पैसे देऊ शकतो का",
	}},
	{"armenian", "armenian", []string{
		"ես ուզում եմ պիցցա պատվիրել",
		"որտեղ է իմ պատվերը",
		"ինչ արժե առաքումը Գյումրի",
		"ուզում եմ չեղարկել ամրագրումը",
		"կիրակի ժամը քանիսին եք բացվում",
		"կարող եք օգնել իմ հաշվի հետ",
		"չեմ կարողանում մուտք գործել հավելված",
		"ուսանողների համար զեղչ կա",
	}},
	{"tamil", "tamil", []string{
		"நான் ஒரு பீட்சா ஆர்டர் செய்ய வேண்டும்",
		"என் ஆர்டர் எங்கே",
		"சென்னைக்கு டெலிவரி எவ்வளவு",
		"நான் முன்பதிவை ரத்து செய்ய வேண்டும்",
		"ஞாயிற்றுக்கிழமை எத்தனை மணிக்கு திறப்பீர்கள்",
		"என் கணக்கில் எனக்கு உதவ முடியுமா",
		"என்னால் செயலியில் உள்நுழைய முடியவில்லை",
		"மாணவர்களுக்கு ஏதேனும் தள்ளுபடி உள்ளதா",
	}},
	{"japanese", "japanese", []string{
		"ピザを注文したいです",
		"私の注文はどこですか",
		"大阪までの送料はいくらですか",
		"予約をキャンセルしたいです",
		"日曜日は何時に開きますか",
		"アカウントについて手伝ってもらえますか",
		"アプリにログインできません",
		"学生割引はありますか",
	}},
	{"chinese", "chinese", []string{
		"我想订一个披萨",
		"我的订单在哪里",
		"寄到上海的运费是多少",
		"我想取消预订",
		"你们星期天几点开门",
		"你能帮我处理一下我的账户吗",
		"我登录不了应用",
		"学生有优惠吗",
	}},
	{"korean", "korean", []string{
		"피자를 주문하고 싶어요",
		"제 주문은 어디에 있나요",
		"부산까지 배송비가 얼마예요",
		"예약을 취소하고 싶어요",
		"일요일에는 몇 시에 문을 여나요",
		"제 계정 문제 좀 도와주실 수 있나요",
		"앱에 로그인이 안 돼요",
		"학생 할인이 있나요",
	}},
	{"thai", "thai", []string{
		"ฉันอยากสั่งพิซซ่า",
		"ออร์เดอร์ของฉันอยู่ที่ไหน",
		"ค่าส่งไปเชียงใหม่เท่าไหร่",
		"ฉันอยากยกเลิกการจอง",
		"วันอาทิตย์เปิดกี่โมง",
		"ช่วยฉันเรื่องบัญชีได้ไหม",
		"ฉันเข้าสู่ระบบแอปไม่ได้",
		"มีส่วนลดสำหรับนักศึกษาไหม",
	}},
	{"georgian", "georgian", []string{
		"მინდა პიცის შეკვეთა",
		"სად არის ჩემი შეკვეთა",
		"რა ღირს მიწოდება ბათუმში",
		"მინდა ჯავშნის გაუქმება",
		"კვირას რომელ საათზე იხსნებით",
		"შეგიძლიათ დამეხმაროთ ჩემს ანგარიშთან",
		"აპლიკაციაში ვერ შევდივარ",
		"სტუდენტებისთვის ფასდაკლება გაქვთ",
	}},
}

func TestDetectLanguage(t *testing.T) {
	for _, tc := range detectBots {
		t.Run(tc.name, func(t *testing.T) {
			d := nlu.DetectLanguage(tc.phrases...)
			if d.Language != tc.want {
				t.Fatalf("got %q (%v), want %s", d.Language, d, tc.want)
			}
			if d.Confidence < nlu.DetectConfidence || d.Confidence > 1 {
				t.Errorf("confidence %v, want in [%v, 1]", d.Confidence, nlu.DetectConfidence)
			}
			if !strings.HasPrefix(d.String(), tc.want+", ") {
				t.Errorf("String() = %q, want it to start with %q", d, tc.want+", ")
			}
		})
	}
}

// TestDetectLanguageEachPhraseUndecided checks that no single phrase of a
// bot above is called where a script serves several languages: a phrase
// is too short to tell them apart by.
func TestDetectLanguageEachPhraseUndecided(t *testing.T) {
	for _, tc := range detectBots {
		for _, p := range tc.phrases {
			d := nlu.DetectLanguage(p)
			switch {
			case d.Language == "":
			case d.Language != tc.want:
				t.Errorf("%s: %q: got %v, want undecided or %s", tc.name, p, d, tc.want)
			case slices.Contains([]string{"latin", "cyrillic", "arabic", "hebrew", "devanagari"}, d.Script):
				t.Errorf("%s: %q: got %v, want undecided", tc.name, p, d)
			}
		}
	}
}

func TestDetectLanguageUndecided(t *testing.T) {
	for _, tc := range []struct {
		name  string
		texts []string
	}{
		{"Empty", nil},
		{"NoLetters", []string{"123", "42 €", "🙂👍", "?!"}},
		{"Greetings", []string{"hi", "hello", "ok"}},
		{"GreetingsEverywhere", []string{"hola", "hallo", "ciao", "salut", "ok", "bye", "thanks"}},
		{"ShortSpanish", []string{"quiero una pizza", "dónde está mi pedido", "gracias"}},
		{"ShortGerman", []string{"ich möchte eine Pizza", "wo ist meine Bestellung"}},
		{"NamesAndNumbers", []string{"Berlin", "Madrid", "Paris", "Roma", "12:30", "order 5541"}},
		{"HalfEnglishHalfSpanish", []string{
			"what time do you open", "can I change my order", "where is my parcel", "I want to talk to a person",
			"a qué hora abren", "puedo cambiar mi pedido", "dónde está mi paquete", "quiero hablar con una persona"}},
		{"DanishOrNorwegian", []string{"jeg vil gerne bestille en pizza", "kan du hjælpe mig", "hvor er min ordre"}},
		{"HalfCyrillicHalfLatin", []string{"я хочу заказать пиццу", "где мой заказ", "I want to order a pizza", "where is my order"}},
		{"FewKana", []string{"我想订一个披萨的"}},
		{"UnknownScript", []string{"আমি একটি পিজা অর্ডার করতে চাই", "আমার অর্ডার কোথায়", "ডেলিভারি কত"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := nlu.DetectLanguage(tc.texts...); d.Language != "" {
				t.Errorf("got %v, want undecided", d)
			}
		})
	}
}

func TestDetectLanguageMixed(t *testing.T) {
	spanish := []string{"quiero pedir una pizza grande", "dónde está mi pedido", "cuánto cuesta el envío a Madrid",
		"me gustaría cancelar la reserva", "a qué hora abren los domingos", "puedes ayudarme con mi cuenta",
		"no puedo entrar en la aplicación", "hay alguna oferta para estudiantes", "quiero hablar con una persona",
		"cuál es el horario de la tienda", "tengo un problema con mi pago", "me han cobrado dos veces"}
	// A Spanish bot whose authors kept a few English words and phrases
	// is Spanish.
	d := nlu.DetectLanguage(append(slices.Clone(spanish), "hello", "ok", "thanks", "what time do you open")...)
	if d.Language != "spanish" {
		t.Errorf("Spanish with a little English: got %v, want spanish", d)
	}
	// The order of the texts does not matter.
	r := slices.Clone(spanish)
	slices.Reverse(r)
	if a, b := nlu.DetectLanguage(spanish...), nlu.DetectLanguage(r...); a != b {
		t.Errorf("reversed: got %v, want %v", b, a)
	}
}

// TestDetectLanguageEvidence pins what a detection says it rests on.
func TestDetectLanguageEvidence(t *testing.T) {
	d := nlu.DetectLanguage("je voudrais commander une pizza", "où est ma commande", "je veux annuler ma réservation",
		"pouvez-vous m'aider avec mon compte", "est-ce qu'il y a une offre pour les étudiants")
	if d.Language != "french" || d.Script != "latin" || d.Hits <= d.NextHits || d.Words < d.Hits || d.Share != 1 {
		t.Fatalf("got %+v, want french in latin script with more hits than the next language", d)
	}
	want := "french, "
	if s := d.String(); !strings.HasPrefix(s, want) || !strings.Contains(s, "french function words") {
		t.Errorf("String() = %q, want it to name french and its function words", s)
	}
	u := nlu.DetectLanguage("hi", "hello", "ok")
	if s := u.String(); !strings.HasPrefix(s, "undecided") && !strings.HasPrefix(s, "no language") {
		t.Errorf("String() = %q, want it to say undecided", s)
	}
}

func FuzzDetectLanguage(f *testing.F) {
	for _, tc := range detectBots {
		f.Add(strings.Join(tc.phrases[:2], "\n"), tc.phrases[2])
	}
	f.Add("l'' d' '", "ё ї ј ة پ ے ײ")
	f.Add("\xff\xfe", "ピザ")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := nlu.DetectLanguage(a, b)
		if math.IsNaN(d.Confidence) || d.Confidence < 0 || d.Confidence > 1 {
			t.Fatalf("confidence %v, want in [0, 1]", d.Confidence)
		}
		if d.Language != "" && (d.Language != d.Best || d.Confidence < nlu.DetectConfidence) {
			t.Fatalf("language %q with best %q at %v", d.Language, d.Best, d.Confidence)
		}
		if d.Share < 0 || d.Share > 1 || d.NextHits > d.Hits {
			t.Fatalf("got %+v", d)
		}
		if d2 := nlu.DetectLanguage(b, a); d2 != d {
			t.Fatalf("order matters: %v, then %v", d, d2)
		}
		_ = d.String()
	})
}
