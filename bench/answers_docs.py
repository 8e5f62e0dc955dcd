"""Answer-accuracy bench, docs route: tenants made from their own policy documents (bench/data/answers_docs/<slug>/,
not the demo's), questions worded the way different people ask, each run through the whole agent
(`agents.answer_sync`: routing with the document signal, retrieval, sentence scoring, guard).

Twenty-eight sets, reported apart (`SETS`): "tuning" (harbor and peak: cases.jsonl and route_cases.jsonl, used while the
docs route was built and tuned) and "heldout" (lakeside and northstar: heldout_cases.jsonl and
route_cases_heldout.jsonl, written without looking at the answer machinery and never tuned on; its first measured
run is kept in the project's notes) and "heldout2" (cedar, a US eye center, and kestrel, an Irish optician:
heldout2_cases.jsonl and route_cases_heldout2.jsonl, written later in the same way, never tuned on; first run in the
notes too) and "heldout3" (birch, a Canadian optical chain with provincial plans and bilingual stores, and dune, a New
Zealand optometry practice: heldout3_cases.jsonl and route_cases_heldout3.jsonl, written later still in the same way,
never tuned on; first run in the notes) and "heldout4" (marula, a South African optometry chain with medical aid
claims and load-shedding backup, and tembusu, a Singapore eyecare chain with a children's myopia control programme:
heldout4_cases.jsonl and route_cases_heldout4.jsonl, written later still in the same way, never tuned on; first run in
the notes) and "heldout5" (saffron, an Indian optical chain with EMI, GST invoices and home eye tests, and oryx, a UAE
optician with its own glazing workshop, insurer direct billing and Ramadan hours: heldout5_cases.jsonl and
route_cases_heldout5.jsonl, written later still in the same way, never tuned on; first run in the notes) and "heldout6"
(jacaranda, a Brazilian optical chain with health-plan billing, Pix and interest-free installments, and fjordlys, a
Norwegian optician with NAV grants, breakage insurance and a Bergen workshop: heldout6_cases.jsonl and
route_cases_heldout6.jsonl, written later still in the same way, never tuned on; first run in the notes) and "heldout7"
(kaede, a Japanese eyewear chain with frame-and-lens set prices, tax-free shopping and a partner eye clinic for contact
lenses, and wrzos, a Polish online-first retailer with showrooms, home try-on, BLIK and a 30-day return promise:
heldout7_cases.jsonl and route_cases_heldout7.jsonl, written later still in the same way, never tuned on) and "heldout8"
(colibri, a Mexican optical chain with meses sin intereses, OXXO payments, CFDI facturas, a contact lens subscription
and rural eye-care brigades, and lumo, a Finnish optical chain with hearing care, employer-paid screen glasses, a
contact lens payment plan and breakage cover: heldout8_cases.jsonl and route_cases_heldout8.jsonl, written later still
in the same way, never tuned on) and "heldout9" (eule, Kleine Eule Kinderoptik, a German children-only optical chain
with the Krankenkasse lens subsidy, a breakage promise, a growth exchange and a myopia control programme, and
switchback, Switchback Sport Optics, a Colorado prescription sports-eyewear shop with crash replacement, Rx goggle
inserts by mail, a team program and demo rentals: heldout9_cases.jsonl and route_cases_heldout9.jsonl, written later
still in the same way by an outside tester, never tuned on) and "heldout10" (girasole, Ottica Girasole, an Italian
family optical chain in Tuscany and Bologna with the 19% tax deduction on a scontrino parlante, lunch and Ferragosto
closures, a breakage cover and a contact lens club, and heatherline, Heatherline Mobile Eyecare, a Scottish Highlands
eye-care van service with a stop timetable using Gaelic place names, NHS Scotland eye tests and vouchers, home and
care-home visits, weather and ferry cancellations and low vision support: heldout10_cases.jsonl and
route_cases_heldout10.jsonl, written the same way by an outside tester, never tuned on) and "heldout11" (mirabelle,
Optique Mirabelle, a French optical chain in Lorraine and Alsace with 100% Santé classe A / classe B glasses, tiers
payant with mutuelles, prescription validity and renewal by the optician, Alsace-Moselle holidays and Luxembourg CNS
cross-border customers, and wattlebird, Wattlebird Low Vision Centre, a not-for-profit low vision clinic in Victoria,
Australia, with Medicare, NDIS, DVA and aged care funding, an equipment loan library, outreach clinics, a children's
programme and technology training: heldout11_cases.jsonl and route_cases_heldout11.jsonl, written the same way by an
outside tester, never tuned on) and "heldout12" (ijsvogel, Optiek IJsvogel, the optical shop of a Dutch hospital's eye
department in Leiden with counters in Den Haag and Alphen aan den Rijn: basic and supplementary health insurance,
medical lenses for aphakia and keratoconus, aids after eye surgery, children's patching and a bedside service on the
wards, and tausi, Tausi School Sight, a Kenyan school eye-screening social enterprise with vision centres in Kisumu,
Nakuru, Nairobi and Mombasa: consent forms and referral slips, M-Pesa payments and fee waivers, a glasses guarantee,
a teachers' guide, a screener handbook and a school agreement: heldout12_cases.jsonl and route_cases_heldout12.jsonl,
written the same way by an outside tester, never tuned on) and "heldout13" (marti, Martı Optik, a Turkish family
optician in İzmir - Alsancak with the workshop, Karşıyaka, Bornova - and İstanbul Kadıköy, whose opticians may not test
eyes: the SGK e-reçete contribution, taksit installments, bayram hours, tax-free shopping, a contact lens club and a
guide for cruise visitors, and sampaguita, Sampaguita Optical, a Philippine optical chain in Quezon City (Cubao),
Makati, Bonifacio Global City, Cebu City and Davao City: senior citizen and PWD discounts, HMO letters of
authorization, GCash and lay-away, typhoon signal closures, company accounts and orders for OFWs:
heldout13_cases.jsonl and route_cases_heldout13.jsonl, written the same way by an outside tester, never tuned on) and
"heldout14" (hanbit, Hanbit Optical, a Korean eyewear chain in Seoul - Gangnam Station with the lens lab, Hongik
University Station, Jamsil in Lotte World Mall - Busan Haeundae and Daegu Dongseongno, whose licensed opticians test
eyes: NHIS glasses for young children, Medical Aid glasses, the year-end tax settlement, interest-free card
installments and cash receipts, Suneung and soldier discounts, circle lenses and a Lens Box delivery, an online store,
and iroko, Iroko Eyecare, a Nigerian optometry practice in Lagos - Ikeja with the workshop, Victoria Island, Lekki -
Abuja Wuse II and Port Harcourt Old GRA: HMO pre-authorisation codes and the NHIA co-payment, corper and commercial
driver offers, Pay Small Small instalments, Sallah and Jumat closures, home visits priced by Lagos Mainland / Island,
school and company screening and teaching-hospital referrals: heldout14_cases.jsonl and route_cases_heldout14.jsonl,
written the same way by an outside tester, never tuned on) and "heldout15" (elia, Elia Optika, a Greek island optician
in the Cyclades - Naxos Town (Chora) with the workshop, a room in the mountain village of Filoti two mornings a week,
and a summer shop in Naoussa on Paros: EOPYY contributions claimed by the customer, insurer direct settlement,
interest-free instalments on Greek cards, the cash limit, tax-free shopping, Orthodox Easter and 15 August closures,
ferry and meltemi delays, dive masks and a guide for hotels; and tre, Tre Xanh Eyewear, a Vietnamese eyewear chain in
Hanoi - Hoàn Kiếm, Cầu Giấy with the lens lab - Ho Chi Minh City District 1 and Thủ Đức, and Da Nang: Tết and
lunar-calendar holiday hours, BHYT and private direct billing, VietQR, MoMo and 0% card instalments, same-day VAT
e-invoices, company vouchers, a Tết sale and loyalty points, online orders with Grab delivery and home try-on:
heldout15_cases.jsonl and route_cases_heldout15.jsonl, written the same way by an outside tester, never tuned on) and
"heldout16" (cordillera, Óptica Cordillera, a Chilean optical chain - Santiago: Providencia ("Provi") with the lens
lab, Ñuñoa and the Maipú mall - Valparaíso ("Valpo") and Concepción ("Conce"): Fonasa bonos, Isapre refunds and direct
claims to complementary insurers, cuotas sin interés, boletas and facturas with the RUT, Fiestas Patrias and
election-day hours, the consumer law's guarantee and right of withdrawal, company agreements with payroll deduction,
and earthquake rules for staff; and levada, Óptica Levada, a Madeira optician - Funchal with the workshop, Câmara de
Lobos and a summer counter on Porto Santo: SESARAM, ADSE, SAMS and insurer networks, the NIF on the invoice for the
IRS deduction, MB WAY, Multibanco references and Cofidis split payments, Madeira Day and Flower Festival hours,
breakage cover, tax-free shopping and a guide for cruise passengers and hikers: heldout16_cases.jsonl and
route_cases_heldout16.jsonl, written the same way by an outside tester, never tuned on) and "heldout17" (argane,
Optique Argane, a Moroccan optical chain - Casablanca Maârif ("Zerktouni", with the glazing workshop) and Morocco Mall,
Rabat Agdal, Marrakech Guéliz ("la ville ocre") and Tanger ("Tanja"): AMO/CNSS and CNOPS feuilles de soins, AMO
Tadamon, prise en charge by private insurers, payment by three cheques and Wafasalaf credit, the ICE on company
invoices, VAT refund for visitors, Friday prayer, Ramadan and Eid hours, an MRE summer offer, home visits, company
conventions and school screening; and lundi, Lundi Gleraugu, an Icelandic optician - Reykjavík Laugavegur ("the 101
shop") and Kringlan, Hafnarfjörður ("Hafnó", with the lens workshop), Akureyri ("up north") and a visiting optometrist
in Egilsstaðir: the SÍ children's glasses subsidy, union sickness funds, Netgíró, Pei and bank claims, gift cards and
tax-free shopping, Icelandic holidays and Þorláksmessa hours, red and orange weather warnings, breakage cover and a
contact lens club: heldout17_cases.jsonl and route_cases_heldout17.jsonl, written the same way by an outside tester,
never tuned on) and "heldout18" (nakhla, Nakhla Optics, an Egyptian optical chain - Heliopolis ("Korba", "Masr El
Gedida", with the lens lab), Zamalek, Nasr City in City Stars ("the Stars branch"), Sheikh Zayed ("Zayed") and
Alexandria Smouha ("Alex") - plus a summer kiosk in Marassi on the North Coast ("the Sahel"): private insurers and TPAs
with approval before production, syndicate and sporting-club discounts, InstaPay, Vodafone Cash, Fawry references,
valU and bank 0% instalments, e-receipts and tax invoices, Friday, Ramadan, Eid, Coptic Christmas and Sham El-Nessim
hours, Nakhla Care breakage cover, home visits in Cairo and Giza, company agreements and school screening; and phikul,
Phikul Optical, a Thai optical chain - Bangkok Ari (the head office with the lens lab), Siam Square and Wongwian Yai
("Fang Thon", the Thonburi side), Chiang Mai Nimman ("Nimman") and Hat Yai: the Social Security glasses benefit
claimed by the shop, civil servant and gold card rules, PromptPay, 0% card instalments, full tax invoices, e-Tax
invoices and tourist VAT refunds, Songkran, Loy Krathong and Chinese New Year hours, flood closures, discounts for
monks and teachers, a LINE member scheme, a contact lens subscription and a mobile eye unit for companies, schools
and temples: heldout18_cases.jsonl and route_cases_heldout18.jsonl, written the same way by an outside tester, never
tuned on) and "heldout19" (guayacan, Óptica Guayacán, a Colombian optical chain - Bogotá Chapinero ("la de Chapi", the
main store with the lens laboratory) and Usaquén, Medellín El Poblado in the Oviedo mall ("Oviedo", "Medallo"), Cali
Granada ("Guayacán del Norte", closed at lunch) and Barranquilla Alto Prado: puente festivo Mondays, Semana Santa,
Carnaval, Feria de las Flores and Feria de Cali hours, EPS limits, medicina prepagada refunds and Colsanitas direct
billing, caja de compensación discounts, cuotas, PSE, Nequi, Daviplata, Bre-B and Addi, the DIAN e-invoice with the
NIT, the consumer statute's guarantee and derecho de retracto, Plan Tranquilo breakage cover, gift cards and Club
Guayacán points, company convenios with libranza, school screening and home visits; and kenanga, Kenanga Optometry, a
Malaysian optometry chain - Kuala Lumpur Bangsar ("Telawi", "HQ", with the lens lab), Petaling Jaya SS2, George Town
Penang ("Campbell Street", "the island shop"), Johor Bahru ("JB") and Kota Kinabalu ("KK"): Hari Raya, Chinese New
Year, Deepavali, Thaipusam, Kaamatan and Merdeka hours, Friday prayer closing in JB, company panels through TPAs,
PERKESO (SOCSO) optical aids, DuitNow, Touch 'n Go, Atome and 0% card instalments, LHDN MyInvois e-invoices, SST,
warga emas, OKU and student discounts, Kenanga Care accident cover, e-gift vouchers and Kenanga Friends points,
contact lens Auto-Ship, Ortho-K, home visits, corporate eye care days and school screening for B40 families:
heldout19_cases.jsonl and route_cases_heldout19.jsonl, written the same way by an outside tester, never tuned on) and
"heldout20" (drago, Óptica Drago, a Canary Islands optician - Santa Cruz de Tenerife Calle del Castillo ("Castillo",
with the glazing workshop), La Laguna ("Aguere"), Puerto de la Cruz ("el Puerto", open on Sundays) and Las Palmas de
Gran Canaria ("Triana") - plus an optometrist visiting La Gomera by ferry: split opening hours, Día de Canarias,
Candelaria, Virgen del Pino and Carnival Tuesday hours, calima days, the three-year legal guarantee, Plan Cristal
breakage cover, the children's glasses grant, private insurer discount agreements, MUFACE/ISFAS/MUGEJU grants, the cash
limit, Bizum and Cetelem financing, IGIC and no tax-free forms, Club Drago points, gift cards, a contact lens
subscription, online sales conditions and a staff handbook; and kapok, Kapok Eyecare, a Hong Kong optometry chain -
Central (head office), Mong Kok ("MK"), Causeway Bay ("CWB"), Sha Tin New Town Plaza ("the NTP shop") and Tuen Mun
("TM") with a lens workshop in Kwun Tong: Lunar New Year hours, Typhoon Signal No. 8 and Black Rainstorm closures,
Elderly Health Care Vouchers at some branches only, insurer claims and direct billing for two corporate plans, Octopus,
FPS, PayMe and 0% card instalments, no sales tax for mainland visitors, Senior Citizen Card and student discounts,
e-gift cards and Kapok Club points, a contact lens plan, children's myopia control and orthokeratology, home and care
home visits, corporate eye care days, school screening and a staff handbook: heldout20_cases.jsonl and
route_cases_heldout20.jsonl, written the same way by an outside tester, never tuned on) and "heldout21" (huarango,
Óptica Huarango, a Peruvian optical chain - Lima: Miraflores ("Larco", the main store with the lens laboratory), San
Isidro ("Conquistadores", the corporate accounts desk) and Surco in Jockey Plaza ("el Jockey") - Arequipa ("Mercaderes",
the Ciudad Blanca store, closed at lunchtime) and Cusco ("El Sol"), plus a monthly optometrist visit to Puno: Semana
Santa, Inti Raymi, Corpus Christi, Fiestas Patrias, Santa Rosa and election-day hours, the earthquake drill, soles and
dollars, Yape and Plin, cuotas sin intereses, the adelanto, boletas with the DNI and facturas with the RUC, EPS direct
billing with a carta de garantía or reembolso, EsSalud prescriptions, company convenios with payroll deduction, teacher,
senior and nurse discounts, Plan Cuidado breakage cover, the Libro de Reclamaciones, Club Huarango points and vales de
regalo, a contact lens plan, online shop terms and a staff handbook; and lipa, Optika Lípa, a Czech family optician -
Praha Vinohrady ("Náměstí Míru", head office with the workshop), Praha Anděl ("Smíchov", in a shopping centre), Brno
("Štatl"), Olomouc ("Holomóc", stairs only) and Karlovy Vary ("Vary", seasonal hours): the shop-closing law on public
holidays, Štědrý den hours, a company holiday, the children's lens contribution on a poukaz from all seven health
insurers, insurers' bonus programmes, employer-paid screen glasses, euros at two branches, employee benefit cards
(Pluxee, Edenred, Up, Benefit Plus), Skip Pay, the záloha, invoices with IČO and DIČ, the 24-month warranty and
reklamace, Program Klid breakage cover, Klub Lípa credit, Seniorské úterý, ISIC and ZTP discounts, dárkové poukazy, a
lens subscription and night lenses, e-shop terms with Zásilkovna and Slovakia delivery and an employee handbook:
heldout21_cases.jsonl and route_cases_heldout21.jsonl, written the same way by an outside tester, never tuned on) and
"heldout22" (ombu, Óptica Ombú, an Argentine family optical chain - Buenos Aires: Palermo ("Palermo Soho", head store
with the lens laboratory), Recoleta ("la de Santa Fe", the PAMI desk and US dollar cash) and Belgrano ("Cabildo") -
Córdoba ("la Docta", split hours) and Mendoza ("Arístides", closed for the siesta), plus a summer counter in Mar del
Plata ("La Feliz"): Carnival, Memoria, bridge-holiday, Vendimia, stocktake and football-match hours, a price list
reviewed for inflation, the Ley 24.240 guarantee, Cobertura Ombú breakage cover, prepaga direct billing (OSDE, Swiss
Medical, APROSS) or reintegro, PAMI glasses, cash and transfer discounts, cuotas sin interés, Naranja X Plan Z,
Mercado Pago, the seña, Factura A with the CUIT, jubilado, student, teacher and convenio discounts, Club Ombú points,
tarjetas de regalo, a contact lens subscription, online shop terms with the botón de arrepentimiento and a staff
handbook; and maslina, Optika Maslina, a Croatian family optometry practice in Dalmatia - Split Varoš (main practice
and workshop, summer pauza) and the Joker centre (open on some Sundays under the Sunday trading rules), Trogir and a
summer shop in Makarska, plus an optometrist visiting Hvar by catamaran: Croatian holidays and Sveti Duje, bura and
jugo, the two-year seller's liability, Bez brige breakage and sea-loss cover, HZZO lens contributions on a doznaka,
dopunsko and private insurers' refunds, euros only, interest-free instalments on named cards, KEKS Pay, the R1 invoice
with the OIB, PDV tax-free forms for non-EU visitors, pensioner, student, family and fisherman discounts, the Maslina
kartica, poklon bonovi, a lens home-delivery plan, marina delivery for sailors, webshop terms with the 14-day
withdrawal and a staff handbook with fiscal receipts: heldout22_cases.jsonl and route_cases_heldout22.jsonl, written
the same way by an outside tester, never tuned on) and "heldout23" (pipacs, Pipacs Optika, a Hungarian family optometry
practice - Budapest Széll Kálmán tér (Buda, still "Moszkva tér" to many, with the lens workshop) and WestEnd (Pest, the
Sunday shop), Debrecen ("the cívis shop") and a summer counter in Siófok ("the Balaton shop"): Hungarian holidays,
St Stephen's Day fireworks, Christmas Eve and Szilveszter hours, Saturday working days, NEAK ("OEP", "TB") support on
an eye doctor's vény, voluntary health fund cards (egészségpénztár), no SZÉP card, forints with euros at Siófok,
instant transfer, Cofidis 0% instalments, the deposit, receipt vs invoice with the adószám, tax-free for non-EU
visitors, jótállás and kellékszavatosság, the Nyugalom breakage package, pensioner, student, large-family and teacher
discounts, Pipacs Pont, ajándékutalvány, a Lenzbox lens plan, webshop terms with Foxpost and the 14-day withdrawal and
a staff handbook; and nelum, Nelum Optical, a Sri Lankan optical chain - Colombo Kollupitiya ("Kolpetty", head office
with the lens laboratory) and Nugegoda, Kandy ("Senkadagala", Esala Perahera hours), Galle Fort ("the Fort shop") and
Jaffna: Poya, Vesak, Avurudu, Thai Pongal and Deepavali hours, power cuts and monsoon floods, rupees with dollars and
euros at Galle Fort, LankaQR, Koko, 0% bank card plans, the advance, VAT and SVAT invoices, Agrahara claims through the
NITF, cashless insurer bills, corporate accounts with salary deduction, school screening referrals, the warranty,
Nelum Sure accident cover, senior, student, clergy and forces offers, Nelum Rewards, gift cards, island-wide lens
delivery, home visits, online store terms and a staff handbook with EPF/ETF: heldout23_cases.jsonl and
route_cases_heldout23.jsonl, written the same way by an outside tester, never tuned on) and "heldout24" (rukkilill,
Rukkilill Optika, an Estonian family optometry business - Tartu Rüütli (head office with the lens workshop, Tartu still
"Emajõe Ateena"), Tallinn Vanalinn (Finnish spoken) and Ülemiste (evening eye tests), Pärnu ("the summer capital
shop", summer Sundays) and Narva (weekdays, Russian spoken), plus a monthly optometrist visit to Kuressaare on Saaremaa
("Saare") that moves when the ferry stops for ice: Estonian holidays, Jaanilaupäev and Võidupüha hours, snowstorm
openings, no eye doctors on staff, the Haigekassa children's glasses compensation on an eye doctor's prescription,
employer-paid screen glasses (kuvariprillid), no direct insurer billing, ESTO 3 and järelmaks, the bank link, the
ettemaks, invoices with the registrikood and KMKR number, e-arve, tax-free only for non-EU visitors, the 2-year legal
complaint period, Läätsekindlustus, pensioner, ISIC, Perekaart and Kaitseliit discounts, Rukkilill Klubi, kinkekaart,
a Läätseabonement, e-shop terms with Omniva parcel machines and the 14-day withdrawal and a staff handbook; and melati,
Optik Melati, an Indonesian optical chain - Jakarta Blok M ("Melawai", head office with the lens laboratory) and Kelapa
Gading ("Gading", mall hours, floods), Bandung ("Kota Kembang", Jl. Braga), Yogyakarta ("Jogja", Malioboro) and
Denpasar ("the Bali shop"): Friday prayer breaks, Lebaran and cuti bersama, Ramadan, Nyepi, 17 Agustus and Imlek
hours, "kacamata jadi 1 jam", rupiah only, QRIS, cicilan 0%, Kredivo and Akulaku, the DP, faktur pajak with the NPWP,
the tourist VAT refund, the BPJS Kesehatan glasses benefit by class, Mandiri Inhealth and Admedika billing, company
programmes, Garansi Patah, student, teacher (Hari Guru), TNI/Polri and lansia discounts, Sahabat Melati points, voucher
belanja, a contact lens subscription, online shop terms with the unboxing video rule and COD on marketplaces and a
staff handbook with THR and mudik rotation: heldout24_cases.jsonl and route_cases_heldout24.jsonl, written the same way
by an outside tester, never tuned on) and "heldout25" (spurv, Spurv Optik, a Danish family optician - København
Nørrebro ("Jægersborggade", head office with the glazing workshop), Frederiksberg ("Frb. Centret", Sunday eye tests),
Aarhus ("Smilets by", in the Latinerkvarteret, Friday evening tests) and Odense ("H.C. Andersens by", summer closing in
uge 28-30), plus a summer shop in Skagen ("Grenen") from May to September: Danish holidays, the abolished Store
Bededag, Grundlovsdag and Sankt Hans hours, DMI storm warnings, no eye doctors on staff, free children's eye tests,
Dankort, MobilePay, ViaBill and Santander instalments, the depositum, EAN/OIOUBL e-invoices and the CVR number, Global
Blue tax-free for non-EU residents, Sygeforsikringen danmark groups, udvidet helbredstillæg, serviceloven §112,
employer-paid skærmbriller, the 2-year reklamationsret, the tilvænningsgaranti, Spurv Tryghed, Studiekort, pensioner
Tuesdays, værnepligt and DGI discounts, Spurv Venner, 3-year gavekort, a Linseabonnement, webshop terms with pakkeshop
delivery, Greenland and the Faroes and the 14-day fortrydelsesret, and a staff handbook with feriefridage and PFA
pension; and akoma, Akoma Eyecare, a Ghanaian eye-care business - Accra Osu ("Oxford Street", head office with the
lens laboratory) and East Legon ("Legon", A&C Mall, Sunday afternoons), Kumasi Adum ("the Garden City shop"),
Takoradi ("Taadi", safety glasses) and Tamale ("the northern branch", Jumu'ah closing), plus a monthly outreach clinic
in Cape Coast ("Oguaa"): Ghanaian public holidays, Farmers' Day, Homowo, Akwasidae and Chale Wote hours, dumsor and
rainy-season traffic, cedis only, MoMo, Telecel Cash and AT Money, the e-levy, the 50% deposit, the Akoma Susu Plan,
GRA E-VAT receipts with the TIN, no cheques, NHIS (no glasses, consultations at the NHIA-accredited Tamale branch),
private insurers with pre-authorisation, SHEP school screening, LEAP readers, the warranty, Akoma Shield,
senior, student, GES teacher, security services and church group discounts, Akoma Friends, gift vouchers, a "Home
for December" diaspora offer, a lens plan by bus parcel, WhatsApp and online orders with GhanaPostGPS addresses, and a
staff handbook with SSNIT and National Friday Wear: heldout25_cases.jsonl and route_cases_heldout25.jsonl, written the
same way by an outside tester, never tuned on) and "heldout26" (enzian, Optik Enzian, an Austrian family optician - Wien
Neubau ("der Siebte", head office with the Werkstatt), Wien Floridsdorf ("Am Spitz", the only shop closed at lunch),
Graz ("Murstadt shop", Thursday evening eye tests) and Salzburg ("Mozartstadt shop", Festspiele hours), plus a monthly
visiting day in Bad Ischl: Austrian holidays, 8 December opening, Rupertitag, Heiliger Abend and Inventur hours, prices
written "€ 1.190,–", the Bankomatkarte, the Anzahlung, Teilzahlung from € 500,–, the Registrierkasse Beleg, the
UID-Nummer, Global Blue tax-free, the ÖGK Verordnung, Selbstbehalt and Direktverrechnung, BVAEB/SVS refunds, private
Zusatzversicherung, employer-paid Bildschirmarbeitsplatzbrillen, the Führerschein eye test, the two-year Gewährleistung,
Enzian Garantie and Verträglichkeitsgarantie, Umtausch only as Kulanz, Seniorendienstag, Lehrlinge, Familienpass,
Zivildiener and Alpenverein discounts, the Treuekarte with Blüten, 30-year Gutscheine, the Enzian Bruchschutz, a
Linsen-Abo, webshop AGB with the FAGG withdrawal and delivery to Südtirol, and a staff handbook with the
Kollektivvertrag, 13th and 14th salaries and the KlimaTicket; and rimon, Rimon Optics, an Israeli optical chain - Tel
Aviv Dizengoff ("HaKikar", head office with the lens lab) and Sarona ("the market shop", open motzei Shabbat), Jerusalem
Emek Refaim ("the Moshava"), Haifa Grand Kanyon ("the Kanyon", open on Shabbat), Be'er Sheva ("the Negev shop") and
Eilat ("the Red Sea shop", VAT-free): Friday and erev chag hours, the chagim, Yom Kippur, Yom HaZikaron and Tisha B'Av,
protected spaces and alerts, prices written "₪1,290", Bit and PayBox, tashlumim, post-dated cheques, the ₪6,000 cash
limit, the deposit, tax invoices with the ח.פ. or osek murshe number, the tourist VAT refund at Ben Gurion, kupot holim
supplementary plans (Maccabi, Clalit, Meuhedet, Leumit), Ministry of Defence and Bituach Leumi glasses, the frame
warranty, the multifocal adaptation guarantee, ביטול עסקה under the Consumer Protection Law, soldier, reservist, senior,
teacher and hi-tech discounts, the Rimon Club, 5-year gift cards, the Rimon Shield, a Lens Club, online order terms and
a staff handbook with havra'a, keren hishtalmut and reserve duty (miluim): heldout26_cases.jsonl and
route_cases_heldout26.jsonl, written the same way by an outside tester, never tuned on) and "heldout27" (arve, Optik
Arve, a Swiss family optometry business - Zürich Oerlikon ("Örlike", head office with the Werkstatt), Zürich Niederdorf
("s Dörfli", Thursday evening eye tests and Sunday sales before Christmas), Winterthur ("Winti", Monday afternoons
only), Bern ("the Lauben shop", eye test room down cellar steps) and Lausanne ("chez Arve", French spoken), plus a
monthly visiting day in Samedan in the Engadin (none in November): Berchtoldstag, Sechseläuten, Knabenschiessen, 1 May,
Zibelemärit and Lundi du Jeûne hours, prices written "CHF 1'290.–" with 8.1 % MWST, the basic insurance's CHF 180.– a
year for children on an eye doctor's prescription, Franchise and Selbstbehalt, Tiers garant, supplementary insurers
with direct billing for two, the IV's Kostenvoranschlag, SUVA accident claims, the army's Schutzmaskenbrille, TWINT,
euro notes, no Reka-Checks, the 50 % deposit, Kauf auf Rechnung with a QR-bill, instalments, the UID number, Global
Blue tax-free from CHF 300.–, WIR for businesses, the full two-year warranty and no legal right of return, the
adaptation guarantee, Rentner-Mittwoch, Legi, Lehrling, service, SAC and KulturLegi discounts, Arve Punkte, 5-year
Gutscheine, the Arve Schutz, home visits, a Linsen-Abo paid by eBill or LSV, employer-paid screen glasses, safety
glasses, eye test days at companies, driving licence forms and a staff handbook with the 13th salary, Pensionskasse,
WK pay and the Halbtax; and meihua, Meihua Optical (梅花眼鏡), a Taiwanese family optical chain - Taipei Da'an ("the
Dunhua shop", head office) and Ximending ("Ximen", open latest), New Taipei Banqiao ("the Banqiao lab", closed on
Sundays), Taichung ("the Yizhong shop", students, Hakka spoken) and Tainan ("the Fucheng shop", the first store, closed
on Wednesdays) and Kaohsiung ("the harbour shop"), plus a monthly optometrist day in Hualien: Lunar New Year, 初三, Tomb
Sweeping Day, Mid-Autumn and typhoon-day (停止上班) hours, NT$ prices with 5% business tax and lens powers in 度, the
Optometrists Act's age rules for children, the school vision slip, myopia control lenses, ortho-k at a partner clinic,
NHI paying no glasses and district-office subsidies, LINE Pay, JKOPay, EasyCard, 0% instalments with named banks, the
deposit, uniform e-invoices with carriers, donation codes and the 統一編號, the tourist tax refund with on-site refund,
the 7-day cooling-off for distance sales only, the progressive adaptation period, the 1950 consumer hotline, Meihua
Members points, student, senior, teacher, service and disability discounts, the anniversary sale, gift vouchers with
no expiry date, Meihua Care, home visits, a Lens Plan with convenience-store pick-up and outer-island delivery, online
store terms and a staff handbook with overtime rates, the year-end bonus, annual leave by seniority, typhoon days and
the labor pension: heldout27_cases.jsonl and route_cases_heldout27.jsonl, written the same way by an outside tester,
never tuned on).
The held-out route files are not named heldout*.jsonl so that bench_answers' case loader, which reads
cases*/heldout* files as docs-route cases, does not pick their sql/industry cases up.

A covered case is right when it is routed to docs and the answer contains every `must` phrase (the fact that
answers it), refused when the answer says the documents do not cover it (or the router asks to clarify), wrong
otherwise; a not-covered case is right when it is routed to docs and the answer says the documents do not cover
it. Route cases (route_cases.jsonl) check that sql / industry / smalltalk questions of the same tenants are not
pulled to docs. Prints accuracy per set and kind and lists every miss, tagged with its set.

    python -m bench.answers_docs [--set NAME]   (NAME: tuning, heldout, heldout2 ... heldout27)
    (also run by `python -m bench answers`)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import bench_database, print_table

DATA = Path(__file__).resolve().parent / "data" / "answers_docs"
TENANTS = {"harbor": "Harbor Vision Opticians", "peak": "Peak Eyecare",
           "lakeside": "Lakeside Optical", "northstar": "Northstar Eyewear",
           "cedar": "Cedar Ridge Eye Center", "kestrel": "Kestrel Opticians",
           "birch": "Birch Lane Optical", "dune": "Dune Road Optometrists",
           "marula": "Marula Optometrists", "tembusu": "Tembusu Eyecare",
           "saffron": "Saffron Opticals", "oryx": "Oryx Optics",
           "jacaranda": "Jacaranda Ótica", "fjordlys": "Fjordlys Optikk",
           "kaede": "Kaede Megane", "wrzos": "Wrzos Okulary",
           "colibri": "Ópticas Colibrí", "lumo": "Lumo Optiikka & Kuulo",
           "eule": "Kleine Eule Kinderoptik", "switchback": "Switchback Sport Optics",
           "girasole": "Ottica Girasole", "heatherline": "Heatherline Mobile Eyecare",
           "mirabelle": "Optique Mirabelle", "wattlebird": "Wattlebird Low Vision Centre",
           "ijsvogel": "Optiek IJsvogel", "tausi": "Tausi School Sight",
           "marti": "Martı Optik", "sampaguita": "Sampaguita Optical",
           "hanbit": "Hanbit Optical", "iroko": "Iroko Eyecare",
           "elia": "Elia Optika", "tre": "Tre Xanh Eyewear",
           "cordillera": "Óptica Cordillera", "levada": "Óptica Levada",
           "argane": "Optique Argane", "lundi": "Lundi Gleraugu",
           "nakhla": "Nakhla Optics", "phikul": "Phikul Optical",
           "guayacan": "Óptica Guayacán", "kenanga": "Kenanga Optometry",
           "drago": "Óptica Drago", "kapok": "Kapok Eyecare",
           "huarango": "Óptica Huarango", "lipa": "Optika Lípa",
           "ombu": "Óptica Ombú", "maslina": "Optika Maslina",
           "pipacs": "Pipacs Optika", "nelum": "Nelum Optical",
           "rukkilill": "Rukkilill Optika", "melati": "Optik Melati",
           "spurv": "Spurv Optik", "akoma": "Akoma Eyecare",
           "enzian": "Optik Enzian", "rimon": "Rimon Optics",
           "arve": "Optik Arve", "meihua": "Meihua Optical"}
# set name -> (answer case file, route case file); the tenants a set uses are the ones its cases name
SETS = {"tuning": ("cases.jsonl", "route_cases.jsonl"),
        "heldout": ("heldout_cases.jsonl", "route_cases_heldout.jsonl"),
        "heldout2": ("heldout2_cases.jsonl", "route_cases_heldout2.jsonl"),
        "heldout3": ("heldout3_cases.jsonl", "route_cases_heldout3.jsonl"),
        "heldout4": ("heldout4_cases.jsonl", "route_cases_heldout4.jsonl"),
        "heldout5": ("heldout5_cases.jsonl", "route_cases_heldout5.jsonl"),
        "heldout6": ("heldout6_cases.jsonl", "route_cases_heldout6.jsonl"),
        "heldout7": ("heldout7_cases.jsonl", "route_cases_heldout7.jsonl"),
        "heldout8": ("heldout8_cases.jsonl", "route_cases_heldout8.jsonl"),
        "heldout9": ("heldout9_cases.jsonl", "route_cases_heldout9.jsonl"),
        "heldout10": ("heldout10_cases.jsonl", "route_cases_heldout10.jsonl"),
        "heldout11": ("heldout11_cases.jsonl", "route_cases_heldout11.jsonl"),
        "heldout12": ("heldout12_cases.jsonl", "route_cases_heldout12.jsonl"),
        "heldout13": ("heldout13_cases.jsonl", "route_cases_heldout13.jsonl"),
        "heldout14": ("heldout14_cases.jsonl", "route_cases_heldout14.jsonl"),
        "heldout15": ("heldout15_cases.jsonl", "route_cases_heldout15.jsonl"),
        "heldout16": ("heldout16_cases.jsonl", "route_cases_heldout16.jsonl"),
        "heldout17": ("heldout17_cases.jsonl", "route_cases_heldout17.jsonl"),
        "heldout18": ("heldout18_cases.jsonl", "route_cases_heldout18.jsonl"),
        "heldout19": ("heldout19_cases.jsonl", "route_cases_heldout19.jsonl"),
        "heldout20": ("heldout20_cases.jsonl", "route_cases_heldout20.jsonl"),
        "heldout21": ("heldout21_cases.jsonl", "route_cases_heldout21.jsonl"),
        "heldout22": ("heldout22_cases.jsonl", "route_cases_heldout22.jsonl"),
        "heldout23": ("heldout23_cases.jsonl", "route_cases_heldout23.jsonl"),
        "heldout24": ("heldout24_cases.jsonl", "route_cases_heldout24.jsonl"),
        "heldout25": ("heldout25_cases.jsonl", "route_cases_heldout25.jsonl"),
        "heldout26": ("heldout26_cases.jsonl", "route_cases_heldout26.jsonl"),
        "heldout27": ("heldout27_cases.jsonl", "route_cases_heldout27.jsonl")}
NOT_COVERED = ("don't seem to cover", "no documents to search")


@dataclass
class CaseResult:
    """One bench question: `outcome` is right, wrong or refused (a refusal or clarification is not counted wrong)."""

    route: str  # the route the case is about (docs, industry, ...)
    shape: str  # the kind of case (covered, not_covered, route, fact, ...)
    id: str
    question: str
    outcome: str
    got_route: str | None
    detail: str = ""
    answer: str = ""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    split: str = ""  # the case set (tuning, heldout); empty where a bench has only one


def load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def setup_tenants() -> dict[str, Any]:
    """Create the bench tenants (idempotent), one user each, and ingest their documents; principals by slug."""
    from db import registry
    from tools.ingest import add_documents

    principals = {}
    for slug, name in TENANTS.items():
        registry.ensure_tenant(f"bench-{slug}", name)
        email = f"manager@{slug}-bench.example"
        registry.add_user(email, f"bench-{slug}", "member")
        principal = registry.principal_for(email)
        add_documents(principal.tenant_id, sorted((DATA / slug).iterdir()))
        principals[slug] = principal
    return principals


def _ask(principal: Any, question: str) -> tuple[dict[str, Any], float]:
    from agents import answer_sync

    t0 = time.perf_counter()
    out = answer_sync(principal, question)
    return out, time.perf_counter() - t0


def run(principals: dict[str, Any] | None = None, progress: Callable[[str], None] | None = None,
        sets: tuple[str, ...] = tuple(SETS)) -> list[CaseResult]:
    """Run every docs and route case of `sets`; principals default to freshly set-up bench tenants."""
    principals = principals or setup_tenants()
    results: list[CaseResult] = []
    for split in sets:
        results += _run_set(split, principals, progress)
    return results


def _run_set(split: str, principals: dict[str, Any], progress: Callable[[str], None] | None) -> list[CaseResult]:
    case_file, route_file = SETS[split]
    results: list[CaseResult] = []
    for case in load(case_file):
        out, secs = _ask(principals[case["tenant"]], case["question"])
        answer, route = out.get("answer") or "", out.get("route")
        said_not_covered = any(p in answer for p in NOT_COVERED)
        if case["expect"] == "not_covered":
            ok = route == "docs" and said_not_covered
            detail = "" if ok else f"expected 'not covered' on docs; got route {route}"
        else:
            missing = [m for m in case.get("must", []) if m.lower() not in answer.lower()]
            ok = route == "docs" and not missing and not said_not_covered
            detail = "" if ok else (f"route {route}" if route != "docs" else
                                    ("said not covered" if said_not_covered else f"missing {missing}"))
        refused = route == "clarify" or (case["expect"] == "answer" and route == "docs" and said_not_covered)
        outcome = "right" if ok else ("refused" if refused else "wrong")
        results.append(CaseResult("docs", case["expect"], case["id"], case["question"], outcome, route, detail,
                                  answer, secs, {"route_reason": out.get("route_reason")}, split))
        if progress:
            progress(f"{case['id']}: {outcome}")
    for case in load(route_file):
        out, secs = _ask(principals[case["tenant"]], case["question"])
        ok = out.get("route") == case["route"]
        results.append(CaseResult(case["route"], "route", case["id"], case["question"], "right" if ok else "wrong",
                                  out.get("route"), "" if ok else f"expected {case['route']}",
                                  out.get("answer") or "", secs, {"route_reason": out.get("route_reason")}, split))
    return results


def _row(label: list[str], items: list[CaseResult], timed: bool = True) -> list[str]:
    right = sum(r.outcome == "right" for r in items)
    refused = sum(r.outcome == "refused" for r in items)
    seconds = f"{sum(r.seconds for r in items) / len(items):.2f}" if timed and items else ""
    return [*label, str(len(items)), str(right), str(refused), f"{100 * right / max(len(items), 1):.1f}%", seconds]


def _first_line(answer: str) -> str:
    """The answer's first line, joined to the first quoted line when it is only a header ("From your documents:")."""
    lines = [line.strip().lstrip("> ").strip() for line in answer.strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    first = lines[0]
    if first.endswith(":") and len(lines) > 1:
        first = f"{first} {lines[1]}"
    return first[:200]


def report(results: list[CaseResult], title: str) -> None:
    """Accuracy per (set, route, shape) and per set, then every miss tagged with its set.

    The set column and the per-set totals appear only when the results carry a set (the docs bench's tuning and
    held-out cases); a single-set bench (industry) prints route and shape as before.
    """
    splits = list(dict.fromkeys(r.split for r in results if r.split))
    groups: dict[tuple[str, str, str], list[CaseResult]] = {}
    for r in results:
        groups.setdefault((r.split, r.route, r.shape), []).append(r)
    order = {s: n for n, s in enumerate(splits)}
    rows = []
    for (split, route, shape), items in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], -1), kv[0][1:])):
        rows.append(_row([split, route, shape] if splits else [route, shape], items))
    for split in splits:
        rows.append(_row([split, "all", ""], [r for r in results if r.split == split], timed=False))
    rows.append(_row(["all", "", ""] if splits else ["all", ""], results, timed=False))
    header = ["route", "shape", "cases", "right", "refused", "accuracy", "s/case"]
    print_table(title, ["set", *header] if splits else header, rows)
    misses = [r for r in results if r.outcome != "right"]
    print(f"\nmisses ({len(misses)}):")
    for r in misses:
        first = _first_line(r.answer)
        tag = f"{r.split}: " if r.split else ""
        print(f"- [{tag}{r.route}/{r.shape}] {r.id} {r.question!r}: {r.outcome}, {r.detail} "
              f"(reason: {r.extra.get('route_reason')}) -> {first!r}")


def main(args: list[str]) -> None:
    sets = tuple(SETS)
    if "--set" in args:
        chosen = args[args.index("--set") + 1] if args.index("--set") + 1 < len(args) else ""
        if chosen not in SETS:
            raise SystemExit(f"--set takes one of {', '.join(SETS)}")
        sets = (chosen,)
    with bench_database("sightline_bench_answers_docs"):
        results = run(progress=None, sets=sets)
    report(results, "Answer accuracy: docs route (bench/data/answers_docs), tuning vs held-out")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
