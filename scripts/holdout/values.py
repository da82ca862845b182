"""Hand-written value tables (data): names with apostrophes and hyphens, cities, street addresses and phone
numbers of many countries, money, products with measurements, emoticons, math, search terms, sort and field
parameters, User-Agents and Accept-Language headers."""

from __future__ import annotations

FIRST_NAMES = """Aoife Bríd Caoimhe Declan Eoin Fionnuala Mary-Kate Jean-Luc Anne-Marie Jean-Baptiste Marie-Claire
Hans-Peter Karl-Heinz Ana-Lucía N'Golo Ngozi Chiamaka Oluwaseun Tunde Kwabena Thandiwe Sipho Zanele Mthunzi
Aleksandra Wojciech
Grzegorz Bartłomiej Agnieszka Jiří Šárka Kateřina Ľubomír Tõnu Jüri Gunnhildur Þórunn Sigurður Ásgeir Kåre Åsa Øystein
Pérez-Reverte Inês Conceição Gonçalo Iñaki Begoña Núria Jordi Ümit Çağla Gökhan Şebnem İlker Ζωή Δημήτρης Ελένη
Ярослав Олена Дмитрий Наталья Сергей Ахмед Юлия Nguyễn Thị Quang Huy Ngọc Ánh Siddharth Lakshmi Venkatesh Aarti
Priyanka Gurpreet Harpreet Rahul अनन्या राहुल Farhan Nadia Zainab Tariq Layla Hamza Yara Noam Tamar Yossi Ayelet Meir
陈静 刘洋 张伟 黄磊 鈴木 高橋 陽菜 蒼 서연 지훈 민서
Keanu Kalani ʻIolani Mahina Aroha Wiremu Tāne Shōta Ryūnosuke""".split()
LAST_NAMES = """O'Brien O'Sullivan O'Donnell O'Keeffe O'Shaughnessy Ó_Briain Ní_Bhriain Mac_Giolla D'Angelo D'Alessandro
D'Amico Dell'Orto Dall'Ara L'Heureux D'Aubigné D'Costa D'Mello N'Diaye N'Dour Kanté St._Clair St-Pierre Saint-Exupéry
Smith-Jones Lloyd-Webber Bowes-Lyon Zeta-Jones Jean-Louis Ortega_y_Gasset de_la_Fuente van_den_Bergh von_Trapp
ter_Horst al-Farsi Al-Khalil bin_Salman Abu-Ghazaleh ben_Ami Ben-Gurion Wa_Thiong'o McAllister MacDonald Fitzpatrick
Nowakowski Wiśniewski Dąbrowski Szczepańska Łukaszewicz Dvořáková Šťastný Öztürk Yılmaz Çelik Şahin Παπαδοπούλου
Κωνσταντίνου Кузнецов Смирнова Шевченко Nguyễn Trần Lê Phạm Iyer Venkataraman Chakraborty Ramírez Núñez Muñoz
Gonçalves Conceição Müller-Lüdenscheidt Groß Weiß Jäger Æsir Lindqvist Sørensen Hákonarson
王 李 山田 佐々木 이 박""".split()
LAST_NAMES = [name.replace("_", " ") for name in LAST_NAMES]  # "_" joins multi-word surnames
CITIES = """Dublin|Cork|Galway|Zürich|Genève|Köln|Düsseldorf|München|Wrocław|Łódź|Gdańsk|Brno|Plzeň|København|Tromsø
Reykjavík|İstanbul|İzmir|Θεσσαλονίκη|Київ|Львів|Санкт-Петербург|Hà Nội|Thành phố Hồ Chí Minh|Bengaluru|Chennai|Kolkata
São Paulo|Belo Horizonte|Bogotá|Medellín|Ciudad de México|Montréal|Québec|St. John's|Coeur d'Alene|Martha's Vineyard
Val-d'Or|L'Aquila|Sant'Agata de' Goti|Aix-en-Provence|Stratford-upon-Avon|Newcastle upon Tyne
大阪|京都|札幌|부산|인천|上海|深圳|القاهرة|تل أبيب|ירושלים|Wellington|Ōtautahi|Honolulu
's-Hertogenbosch|Ta' Xbiex|Hawai'i Kai"""
CITIES = CITIES.replace("\n", "|").split("|")
STREETS = [
    "{n} O'Connell Street, Dublin {d}",
    "Flat {n}/{m}, {n2} St. Stephen's Green",
    "{n2} Rue de l'Église, 75{m:03d} Paris",
    "Hauptstraße {n}a, 10{m:03d} Berlin",
    "Calle de Alcalá, {n}, {d}º izq., 28014 Madrid",
    "ul. Marszałkowska {n}/{m} m. {d}, 00-590 Warszawa",
    "Avenida Paulista, {n2} - apto. {m}, Bela Vista, São Paulo - SP, 01310-100",
    "〒100-0005 東京都千代田区丸の内{d}-{m}-{n}",
    "서울특별시 강남구 테헤란로 {n2}, {d}층",
    "{n2} Baker St., Apt. #{d}B, London NW1 6XE",
    "P.O. Box {n2}, Anchorage, AK 99501",
    "c/o {last}, {n} Main St. Suite {n2}, Springfield, IL 62701",
    "Rua Dr. António José d'Almeida, nº {n}, 3º Esq., 1000-042 Lisboa",
    "{n} Chemin de la Côte-des-Neiges, Montréal (Québec) H3H 1J9",
    "Plot No. {n}, Sector {d}, Near Hanuman Mandir, Gurugram, Haryana 122001",
    "Bahnhofstr. {n}, 8001 Zürich, Schweiz",
    "{n} King's Road, Unit {m}-{d}, Hong Kong",
    "Καρνεάδου {n}, 106 75 Αθήνα",
    "ул. Тверская, д. {n}, кв. {n2}, Москва, 125009",
    "Şehit Muhtar Mah. İstiklal Cd. No:{n} D:{d}, 34435 Beyoğlu/İstanbul",
]
PHONES = [
    "+1 (555) {a}-{b}",
    "+44 20 {a4} {b}",
    "0049 30 {a}{b}",
    "+33 1 {p2} {p2} {p2} {p2}",
    "(02) {a4} {b}",
    "555.{a}.{b}",
    "+81-3-{a4}-{b}",
    "+1-800-FLOWERS",
    "+49 (0) 89 {a} {b}-0",
    "+353 (0)1 {a} {b} ext. {p2}",
    "+91 98{p2} {a} {a}",
    "+7 (495) {a}-{p2}-{p2}",
    "0800 {a} {b}",
    "+55 11 9{a4}-{b}",
    "tel:+1-555-{a}-{b}",
]
MONEY = [
    "$1,299.99",
    "€ 12,50",
    "1.234,56 €",
    "¥12,000",
    "£5",
    "-15%",
    "+3.5%",
    "12.5 %",
    "USD 1,000.00",
    "R$ 49,90",
    "₹1,25,000",
    "CHF 1'250.00",
    "$0.99/mo",
    "~$40",
    "2 x €19.90 = €39.80",
    "zł 89,99",
    "₺250",
    "(1,234.00)",
    "-$12.00",
    "45.000 ₫",
]
EMOTICONS = [
    ":)",
    ":-(",
    ";-)",
    "<3",
    "</3",
    "xD",
    "¯\\_(ツ)_/¯",
    "(╯°□°）╯︵ ┻━┻",
    "^_^",
    "o_O",
    ":P",
    ":'(",
    ">_<",
    "(^-^)/",
    "\\o/",
    "🎉",
    "👍🏽",
    "❤️",
    "🇩🇪",
    "👨‍👩‍👧",
    "😂😂😂",
    "🙏",
    "🔥🔥",
    "✅",
    "😅",
    ":-/",
    "=)",
    "-_-",
    ":3",
    "8-)",
]
PRODUCTS = [
    'Men\'s 32" x 30" slim-fit jeans',
    'Picture frame, 8"x10" (fits 5"x7" with mat)',
    'Drill bit set 1/16" – 1/2" (29 pcs)',
    "Kids' raincoat, size 4T–5T",
    'TV wall mount for 32"–65" screens, VESA 400x400',
    "Stainless steel water bottle, 750 ml / 25 oz",
    'Ergonomic chair — seat height 17.5"–21.5"',
    "Cotton T-shirt (100% organic), unisex, S/M/L/XL",
    "Folding table 6' (72\") with carry handle",
    "Women's hiking boots, EU 38 / US 7.5",
    "USB-C hub 7-in-1 (HDMI 4K@60Hz, 3x USB-A, SD/microSD, PD 100W)",
    "Copper pipe ¾\" × 10', type L",
    "Plywood sheet 4'x8' – ½\" thick",
    "Espresso cups (set of 6), 80 ml — dishwasher-safe",
    'Lumber 2x4x8 (actual 1.5" × 3.5")',
    "Rug 5' 3\" x 7' 6\", 'Moroccan' pattern",
    "Bike tyre 700x25c, 60 TPI",
    "Ring size 7 ½ (US) / O (UK)",
    'Screws #8 x 1-1/4" (100 pk)',
    "Tent for 2–3 people, 210 × 150 × 110 cm, 2.4 kg",
]
HEIGHTS = ["5' 9\"", "6'2\"", "5 ft 4 in", "178 cm", "5'11''", "6’1”", "4′10″"]
MATH = [
    "a < b && c > d",
    "x => x*2",
    "if x >= 10 and y <= 5 then the discount applies",
    "2^10 = 1024",
    "f(x) = 3x + 2, so f(4) = 14",
    "σ = √(Σ(x−μ)²/N)",
    "E = mc^2",
    "50% < x < 75%",
    "C(n, k) = n! / (k! (n-k)!)",
    "|x - y| < ε",
    "1/3 + 1/6 = 1/2",
    "(a + b)^2 = a^2 + 2ab + b^2",
    "lim x→0 sin(x)/x = 1",
    "0 <= i < n",
    "p < 0.05 (two-tailed)",
    "5 * (3 + 2) - 4 / 2 = 23",
    "a != b || b == c",
    "∀x ∈ ℝ: x² ≥ 0",
    "ratio 16:9 or 4:3",
    "3 > 2 > 1 but 1 < 2 < 3",
    "y = mx + b where m = Δy/Δx",
    "~5% ± 0.3",
    "f'(x) = 2x",
    "speed = distance / time = 120 km / 1.5 h = 80 km/h",
]
TLDS = ["com", "org", "net", "io", "de", "fr", "co.uk", "com.br", "co.jp", "ie", "pl", "es", "in"]
WORDS = """alpha river orange kettle violet summer harbour pixel meadow quartz lantern copper maple
cedar falcon ember willow canyon velvet saffron atlas nimbus juniper""".split()
SEARCH_TERMS = [
    "red shoes size 42",
    "o'brien",
    "d'angelo pizza",
    "rock 'n' roll t-shirt",
    "select comfort mattress",
    "union jack flag",
    "drop earrings gold",
    "table lamp",
    "order tracking",
    "update firmware",
    "delete account",
    "where is my order",
    "how to insert sim card",
    '32" monitor',
    "6' ladder",
    "c++ book",
    "c# for beginners",
    "node.js vs deno",
    "100% cotton",
    "café au lait",
    "naïve bayes",
    "München hotels",
    "東京 ラーメン",
    "서울 카페",
    "москва метро",
    "iphone 15 pro max",
    '"exact phrase" search',
    "kids' books",
    "men's & women's",
    "AT&T",
    "Q&A",
    "rock & roll",
    "toys-r-us",
    "wi-fi 6e router",
    "1/2 inch drill",
    "pros/cons",
    "true wireless",
    "null hypothesis",
    "sleep mask",
    "benchmark results",
    "char siu recipe",
    "best of 2024",
    "either/or",
    "and/or",
    "between jobs",
    "like new",
    "group by",
    "having fun",
    "all in one",
    "exec chair",
]
SORTS = [
    "name asc",
    "created_at desc",
    "price DESC, name ASC",
    "updatedAt:-1",
    "-created_at",
    "created_at",
    "name",
    "-updated_at,name",
    "price:asc",
    "price:desc",
    "+priority,-due",
    "relevance",
]
FIELDS = ["id,name,email", "id,title,author.name", "*", "items(id,sku),total", "name,address.city,address.zip"]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 "
    "Edg/125.0.2535.92",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
    "Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 "
    "Mobile/15E148 Safari/604.1",
    "Dalvik/2.1.0 (Linux; U; Android 12; Pixel 6 Build/SQ3A.220705.004)",
    "MyBank/8.14.0 (com.example.mybank; build:8140; iOS 17.4.1) Alamofire/5.9.1",
    "okhttp/4.12.0",
    "Dart/3.3 (dart:io)",
    "axios/1.7.2",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "curl/8.5.0",
    "PostmanRuntime/7.39.0",
    "python-httpx/0.27.0",
    "Go-http-client/2.0",
    "Java-http-client/17.0.11",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile "
    "Safari/537.36 [FBAN/EMA;FBLC/de_DE;FBAV/359.0.0.10.113;]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "Instagram 309.1.1.28.108 (iPhone14,5; iOS 17_1; de_DE; de; scale=3.00; 1170x2532; 541635890)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
    "WhatsApp/2.24.12.78 A",
]
ACCEPT_LANGUAGES = [
    "en-US,en;q=0.9",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "fr-FR,fr;q=0.9",
    "es-419,es;q=0.9,en;q=0.8",
    "pt-BR,pt;q=0.9,en-US;q=0.8",
    "zh-CN,zh;q=0.9",
    "ja,en-US;q=0.9,en;q=0.8",
    "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7",
    "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7",
    "ar,en;q=0.9",
    "he-IL,he;q=0.9,en-US;q=0.8",
    "tr-TR,tr;q=0.9,en-US;q=0.8",
    "pl,en-US;q=0.7,en;q=0.3",
    "hi-IN,hi;q=0.9,en-IN;q=0.8,en;q=0.7",
    "vi-VN,vi;q=0.9,fr-FR;q=0.8",
    "*",
]
