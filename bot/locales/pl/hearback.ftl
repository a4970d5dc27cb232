## Buttons

btn-text = { $text }
btn-file-complaint = 📝 Nowa reklamacja
btn-my-cases = 📂 Moje zgłoszenia
btn-continue = Dalej ➡️
btn-confirm = ✅ Potwierdzam
btn-edit = ✏️ Poprawiam
btn-cancel = ✖️ Anuluj
btn-share-phone = 📱 Udostępniam mój numer
btn-telegram-only = 💬 Tylko Telegram
btn-edit-category = Kategoria
btn-edit-description = Opis
btn-edit-contact = Sposób kontaktu
btn-case = { $number } · { $category }
btn-case-details = Szczegóły { $number }
btn-card-take = 🙋 Przejmij
btn-card-transfer = 🔀 Przekaż
btn-card-ask = ❓ Pytanie do klienta
btn-card-resolve = ✅ Rozwiązane
btn-card-decline = 🚫 Odrzuć
btn-card-escalate = 🚨 Eskaluj
btn-transfer-team = { $own ->
        [none] ➡️ Do zespołu { $team }
       *[other] ↩️ Z powrotem do kolejki zespołu { $team }
    }
btn-transfer-person = 👤 Przekaż: { $name }
btn-solved-yes = 👍 Tak, problem rozwiązany
btn-solved-no = 👎 Nie, problem nadal jest
btn-stars = { $stars ->
        [1] ⭐ 1
       *[other] ⭐ { $stars }
    }
btn-skip-comment = Pomiń
btn-appeal = 🧑‍💼 Odwołanie do kierownika
btn-still-need-help = 🙋 Nadal potrzebuję pomocy
btn-solved-now = ✅ Już rozwiązane
btn-talk-to-manager = 🧑‍💼 Rozmowa z kierownikiem
btn-reopen = 🔄 Otwórz ponownie
btn-ack = ✅ Potwierdź — odpowiedź do { $due }
btn-ack-within = ⏱ { $within ->
        [ack1h] 1 godz.
        [ack4h] 4 godz.
       *[ack1d] 1 dzień
    }
btn-take-over = 🙋 Przejmij sprawę
btn-reassign = 🔀 Zmień przydział
btn-reply-customer = ✍️ Odpowiedz klientowi
btn-manager-resolve = ✅ Rozwiązane
btn-done = Gotowe
btn-answer-review = ✍️ Odpowiedz: { $number }
btn-root-cause = { $cause }

## Start and help

start-greeting =
    Dzień dobry, { $name }! Tu dział obsługi klienta { $org }.
    Prosimy opisać, co poszło nie tak: każda reklamacja otrzymuje numer zgłoszenia, konkretną osobę, która się nią zajmuje, oraz wiążący termin naszej odpowiedzi.
help =
    <b>W czym mogę pomóc</b>
    /new — złożenie nowej reklamacji
    /status — lista zgłoszeń i terminy naszych odpowiedzi
    /status HB-XXXXXX — jedno zgłoszenie wraz z historią
    /cancel — przerwanie składania reklamacji
    Wszystko, co zostanie tu napisane, gdy zgłoszenie jest otwarte, zostanie do niego dołączone.
unknown-command = Nie znam polecenia /{ $command }. Prosimy wysłać /help, aby zobaczyć, w czym mogę pomóc.
nothing-to-cancel = W tej chwili nie ma nic do anulowania. Aby złożyć reklamację, prosimy wysłać /new.
group-private-only = Reklamacje obsługujemy wyłącznie w czacie prywatnym, aby dane osobowe pozostały poufne. Prosimy napisać do mnie bezpośrednio: { $link }

## Intake

intake-started-from-message = Przyjmę to jako reklamację, a treść wiadomości zachowam jako jej opis.
intake-choose-category = Czego dotyczy reklamacja? Prosimy wybrać kategorię:
intake-describe =
    <b>{ $category }</b>: prosimy opisać problem własnymi słowami.
    Można też wysłać zdjęcia, dokumenty, wiadomości głosowe lub filmy.
intake-description-more =
    Dziękujemy, zapisano{ $attachments ->
        [0] {""}
        [one] {""} (załączono { $attachments } plik)
        [few] {""} (załączono { $attachments } pliki)
        [many] {""} (załączono { $attachments } plików)
       *[other] {""} (załączono { $attachments } pliku)
    }.
    Można dodać więcej tekstu lub plików. Gdy wszystko zostanie opisane, prosimy nacisnąć <b>Dalej</b>.
intake-empty-description = Wiadomość była pusta. Prosimy opisać problem w kilku słowach.
intake-need-description = Przed przejściem dalej prosimy opisać problem słowami: samo zdjęcie nie mówi nam, co poszło nie tak.
intake-description-full = Opis osiągnął limit { $limit } znaków, czyli maksymalną długość jednej reklamacji. Prosimy przejść dalej; po zarejestrowaniu zgłoszenia można w każdej chwili dodać więcej informacji.
intake-forwarded-added = Przekazana wiadomość została dodana do opisu.
intake-text-kept = Zapisano: ta treść została dodana do opisu.
intake-file-kept = Zapisano: plik został dołączony do reklamacji.
intake-contact-ask = Jak możemy się skontaktować? Prosimy udostępnić numer telefonu przyciskiem poniżej lub wybrać „Tylko Telegram”.
intake-contact-not-own = Prosimy udostępnić własny numer telefonu przyciskiem poniżej lub wybrać „Tylko Telegram”.
intake-contact-saved = Dziękujemy.
intake-summary =
    <b>Prosimy sprawdzić reklamację</b>
    Kategoria: { $category }
    Opis: { $description }{ $hidden ->
        [0] {""}
        [one] {""} … (i jeszcze { $hidden } znak)
        [few] {""} … (i jeszcze { $hidden } znaki)
        [many] {""} … (i jeszcze { $hidden } znaków)
       *[other] {""} … (i jeszcze { $hidden } znaku)
    }
    Pliki: { $attachments }
    Kontakt: { $contact ->
        [phone] telefon { $phone }
       *[telegram] tylko Telegram
    }
    Czy wszystko się zgadza?
intake-edit-which = Co należy zmienić?
intake-cancelled = Anulowano: nic nie zostało zgłoszone. Aby złożyć reklamację, można w dowolnej chwili wysłać /new.
intake-in-progress = Trwa składanie reklamacji. Można kontynuować poniżej lub wysłać /cancel, aby przerwać.
intake-edit-applied = Zmiana została zapisana w opisie.
intake-reminder = Rozpoczęta reklamacja nie została dokończona. Jest zapisana: można kontynuować dokładnie od miejsca, w którym została przerwana.
intake-dropped = Rozpoczęta reklamacja nie została dokończona w ciągu doby, dlatego ją usunęliśmy. Aby zacząć od nowa, można w każdej chwili wysłać /new.

## Case

case-registered =
    ✅ Reklamacja została zarejestrowana pod numerem <b>{ $number }</b>.
    Kategoria: { $category }{ $attachments ->
        [0] {""}
        [one] {""}, załączono { $attachments } plik
        [few] {""}, załączono { $attachments } pliki
        [many] {""}, załączono { $attachments } plików
       *[other] {""}, załączono { $attachments } pliku
    }
    Co dalej: osoba z zespołu { $team } przejmie zgłoszenie i odpisze tutaj.{ $opens ->
        [none] {""}
       *[other] {""}
        Zespół w tej chwili nie pracuje; wraca do pracy: <b>{ $opens }</b>.
    }
    Termin naszej pierwszej odpowiedzi: do <b>{ $due }</b>.
    W każdej chwili można tu pisać: wszystko, co zostanie wysłane, trafi do zgłoszenia.
case-message-added =
    Dodano do zgłoszenia { $number }. { $owner ->
        [none] Zgłoszenie czeka na konsultanta
       *[other] Zgłoszeniem zajmuje się { $owner }
    }; odpowiemy najpóźniej do { $due }.
case-edit-added = Poprawka została dodana do zgłoszenia { $number }.
edit-not-found = Edytowana wiadomość nie należy do otwartego zgłoszenia, więc nic się nie zmieniło. Aby dodać informacje, prosimy napisać nową wiadomość.
contact-noted = Dziękujemy, numer telefonu został zapisany.
which-case = Otwartych zgłoszeń jest kilka. Którego z nich dotyczy ta wiadomość?

## Case: what happens to it

case-taken = 👤 Zgłoszeniem { $number } zajmuje się teraz <b>{ $owner }</b>. Odpowiedź nadejdzie najpóźniej do <b>{ $due }</b>.
case-transferred-person = 🔀 Zgłoszenie { $number } przejmuje <b>{ $owner }</b>, wraz z całą jego historią. Odpowiedź nadejdzie najpóźniej do <b>{ $due }</b>.
case-transferred-team = 🔀 Zgłoszenie { $number } wraz z całą historią zostało przekazane do zespołu <b>{ $team }</b>. Osoba z tego zespołu przejmie je i odpisze tutaj najpóźniej do <b>{ $due }</b>.
case-question =
    ❓ <b>{ $owner }</b> ma pytanie dotyczące zgłoszenia { $number }:
    { $question }
    Zgłoszenie czeka na odpowiedź: wystarczy odpisać tutaj.
case-resolved-ask =
    ✅ Zgłoszenie { $number } zostało oznaczone jako rozwiązane — <b>{ $owner }</b>.
    Czy to rozwiązało problem?
case-reopened = Dziękujemy za informację. Zgłoszenie { $number } zostało ponownie otwarte i nadal zajmuje się nim <b>{ $owner }</b>; odpowiedź nadejdzie najpóźniej do <b>{ $due }</b>.
case-declined =
    Starannie przeanalizowaliśmy zgłoszenie { $number } i nie możemy spełnić tej prośby.
    Powód: { $reason }
    — { $owner }
    Jeśli ta decyzja wydaje się niesłuszna, przyciskiem poniżej można poprosić o jej ponowne rozpatrzenie. Reklamacjami tego rodzaju kieruje { $manager }.
case-escalated =
    🧑‍💼 { $why ->
        [customer-request] Zgodnie z prośbą zgłoszenie { $number } trafia teraz do kierownika:
        [appeal] Zgodnie z prośbą decyzję w sprawie zgłoszenia { $number } ponownie rozpatrzy kierownik:
        [first-response-breach] Nie odpowiedzieliśmy na zgłoszenie { $number } w obiecanym terminie, dlatego trafia ono teraz do kierownika:
        [resolution-breach] Nie rozwiązaliśmy zgłoszenia { $number } w obiecanym terminie, dlatego trafia ono teraz do kierownika:
        [reopened] Problem w zgłoszeniu { $number } nie został rozwiązany, dlatego zgłoszenie trafia teraz do kierownika:
        [transfers] Zgłoszenie { $number } było przekazywane zbyt wiele razy, dlatego trafia teraz do kierownika:
       *[other] Zgłoszenie { $number } trafia teraz do kierownika:
    } <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }. Kierownik zajmie się sprawą osobiście.
    Najpóźniej do <b>{ $due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
case-escalated-closed = 🧑‍💼 Zgłoszenie { $number } trafia do ponownego rozpatrzenia przez kierownika: <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }. Najpóźniej do <b>{ $due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
case-manager-acknowledged = 🧑‍💼 Od teraz za zgłoszenie { $number } osobiście odpowiada <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }. Odpowiedź nadejdzie najpóźniej do <b>{ $due }</b>.
rating-escalated = Dziękujemy za szczerość. { $manager }{ $title ->
        [none] {""}
       *[other] , { $title },
    } przeanalizuje, jak poprowadziliśmy zgłoszenie { $number } i co powinniśmy byli zrobić inaczej.
check-in =
    🔔 Informacja o zgłoszeniu { $number }: { $owner ->
        [none] czeka na pierwszą wolną osobę z zespołu { $team }{ $ahead ->
            [0] {""} i jest następne w kolejce
            [51] {""}; przed nim w kolejce jest ponad 50 zgłoszeń
            [one] {""}; przed nim w kolejce jest { $ahead } zgłoszenie
            [few] {""}; przed nim w kolejce są { $ahead } zgłoszenia
            [many] {""}; przed nim w kolejce jest { $ahead } zgłoszeń
           *[other] {""}; przed nim w kolejce jest { $ahead } zgłoszenia
        }.
       *[other] prowadzi je <b>{ $owner }</b>.
    }{ $state ->
        [escalated] {" "}Kierownik osobiście nad nim czuwa.
        [reopened] {" "}Jest znów otwarte, bo wcześniejsza odpowiedź nie rozwiązała problemu.
       *[other] {""}
    }
    Kolejna informacja nadejdzie najpóźniej do <b>{ $due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
check-in-noted = Zapisano: zgłoszenie { $number } pozostaje otwarte. Kolejna informacja nadejdzie najpóźniej do <b>{ $due }</b>.
case-waiting-reminder = ⏳ { $owner ->
        [none] Nasz zespół czeka
       *[other] { $owner } czeka
    } na odpowiedź na pytanie w sprawie zgłoszenia { $number }. Wystarczy odpisać tutaj.{ $close ->
        [none] {""}
       *[other] {""} Jeśli do { $close } nie otrzymamy odpowiedzi, zamkniemy zgłoszenie; można je w każdej chwili otworzyć ponownie.
    }
case-closed-unanswered = Nie otrzymaliśmy odpowiedzi w sprawie zgłoszenia { $number }, dlatego na razie je zamknęliśmy. Nic nie przepadło: aby kontynuować, wystarczy w dowolnej chwili nacisnąć „Otwórz ponownie”.
case-reopened-by-you = Zgłoszenie { $number } jest ponownie otwarte{ $owner ->
        [none] {""}
       *[other] {""} i prowadzi je { $owner }
    }. Odpowiedź nadejdzie najpóźniej do <b>{ $due }</b>.
manager-already-asked = Prośba o przekazanie zgłoszenia { $number } kierownikowi została już wysłana: { $asked }. Sprawą zajmuje się { $manager }; odpowiedź przyjdzie tutaj do <b>{ $due }</b>. Jeśli nadal jest taka potrzeba, ponowną prośbę można wysłać od { $again }.
manager-no-open-case = Nie ma otwartego zgłoszenia, które można przekazać kierownikowi. Aby złożyć reklamację, prosimy wysłać /new, a aby zobaczyć zgłoszenia — /status.
manager-which-case = Które zgłoszenie przekazać kierownikowi?
case-closed-rate =
    🎉 Cieszymy się, że problem został rozwiązany. Zgłoszenie { $number } jest zamknięte.
    Prosimy ocenić, jak poradziliśmy sobie z tą sprawą.
rating-comment-ask = Dziękujemy za ocenę ({ $stars ->
        [one] { $stars } gwiazdka
        [few] { $stars } gwiazdki
        [many] { $stars } gwiazdek
       *[other] { $stars } gwiazdki
    }). Co powinniśmy byli zrobić inaczej? Prosimy napisać to tutaj albo nacisnąć „Pomiń”.
rating-thanks = Dziękujemy. Opinia trafi do osób, które mogą coś zmienić.
staff-reply =
    { $text }

    <i>— { $signature }</i>
staff-caption = { $caption ->
        [none] <i>— { $signature }</i>
       *[other] { $caption }

    <i>— { $signature }</i>
    }

## Status

status-none = Nie ma jeszcze żadnych zgłoszeń.
status-header = <b>Zgłoszenia</b> ({ $count })
status-line =
    <b>{ $number }</b> · { $category } · { state-name }
    { $owner ->
        [none] Czeka na konsultanta
       *[other] Prowadzi: { $owner }
    }{ $due ->
        [none] {""}
       *[other] {""} · kolejna informacja do { $due }
    }
status-case =
    <b>{ $number }</b> · { $category }
    Status: { state-name }
    { $owner ->
        [none] Czeka na konsultanta
       *[other] Prowadzi: { $owner }
    }{ $due ->
        [none] {""}
       *[other] {""}
        Kolejna informacja do { $due }
    }
    <b>Historia</b>
status-not-found = Nie znaleziono zgłoszenia „{ $query }”. Aby zobaczyć wszystkie zgłoszenia, prosimy wysłać /status.
history-line = { $at } · { $kind ->
        [register] zarejestrowano
        [message] wysłano wiadomość
        [attachment] wysłano plik
        [edit] poprawiono wiadomość
        [reply] odpowiedzieliśmy
        [transfer_to_person] przekazane innej osobie
        [transfer_to_team] przekazane innemu zespołowi
        [ask_customer] zadaliśmy pytanie
        [customer_answered] wysłano odpowiedź
        [appeal] poproszono kierownika o ponowne rozpatrzenie
        [reject_resolution] zgłoszono, że problem nie jest rozwiązany
        [rating] wystawiono ocenę
        [take] przyjęte przez konsultanta
        [escalate] przekazane kierownikowi
        [resolve] oznaczone jako rozwiązane
        [confirm] zamknięte
        [decline] odrzucone
        [reopen] ponownie otwarte
       *[other] { $kind }
    }{ $text ->
        [none] {""}
       *[other] : { $text }
    }
state-name = { $state ->
        [waiting_for_agent] czeka na konsultanta
        [assigned] w realizacji
        [waiting_for_customer] czeka na odpowiedź klienta
        [escalated] przekazane kierownikowi
        [resolved] rozwiązane, czeka na potwierdzenie
        [closed] zamknięte
        [declined] odrzucone
        [reopened] ponownie otwarte
       *[other] { $state }
    }

## Problems

unsupported-kind = { $kind ->
        [sticker] Do reklamacji nie można dodać naklejki.
        [animation] Do reklamacji nie można dodać GIF-a.
        [location] Do reklamacji nie można dodać lokalizacji.
        [poll] Do reklamacji nie można dodać ankiety.
       *[other] Tego rodzaju wiadomości nie można dodać do reklamacji.
    } Prosimy opisać sprawę słowami albo wysłać zdjęcie, dokument, wiadomość głosową lub film.
button-stale = Ten przycisk należy do wcześniejszego kroku. Prosimy skorzystać z najnowszej wiadomości.
button-unknown = Nie rozpoznano tego przycisku. Prosimy użyć przycisków z najnowszej wiadomości.
update-failed = Przepraszamy, po naszej stronie wystąpił błąd podczas obsługi wiadomości. Wiadomość została zachowana, a nasz zespół otrzymał powiadomienie. Można wysłać ją ponownie albo wysłać /status, aby zobaczyć listę zgłoszeń.

## Staff group

card =
    📋 <b>{ $number }</b> · { $category } · { $team }
    👤 { $customer }{ $username ->
        [none] {""}
       *[other] {""} (@{ $username })
    } · { $language }{ $phone ->
        [none] {""}
       *[other] {""} · 📞 { $phone }
    }{ $unreachable ->
        [none] {""}
       *[other] {""}
        ⛔ Klient zablokował bota: wiadomości do niego nie docierają.
    }
    <b>Status:</b> { staff-state }{ $owner ->
        [none] {""} · nikt go nie przejął
       *[other] {""} · prowadzi: { $owner }
    }
    <b>Pierwsza odpowiedź do:</b> { $first_due }
    <b>Rozwiązać do:</b> { $resolve_due }{ $reopened ->
        [0] {""}
        [one] {""}
        ⚠️ Ponownie otwarte { $reopened } raz: klient zgłosił, że problem nie jest rozwiązany.
        [few] {""}
        ⚠️ Ponownie otwarte { $reopened } razy: klient zgłosił, że problem nie jest rozwiązany.
        [many] {""}
        ⚠️ Ponownie otwarte { $reopened } razy: klient zgłosił, że problem nie jest rozwiązany.
       *[other] {""}
        ⚠️ Ponownie otwarte { $reopened } razy: klient zgłosił, że problem nie jest rozwiązany.
    }{ $transfers ->
        [0] {""}
        [one] {""}
        🔀 Przekazywane { $transfers } raz.
        [few] {""}
        🔀 Przekazywane { $transfers } razy.
        [many] {""}
        🔀 Przekazywane { $transfers } razy.
       *[other] {""}
        🔀 Przekazywane { $transfers } razy.
    }{ $rating ->
        [0] {""}
       *[other] {""}
        ⭐ Ocena klienta: { $rating }/5.
    }
    <b>Opis:</b>
    { $description }{ $files ->
        [0] {""}
        [one] {""}
        📎 { $files } plik: { $kinds }
        [few] {""}
        📎 { $files } pliki: { $kinds }
        [many] {""}
        📎 { $files } plików: { $kinds }
       *[other] {""}
        📎 { $files } pliku: { $kinds }
    }
staff-state = { $state ->
        [waiting_for_agent] czeka na konsultanta
        [assigned] w realizacji
        [waiting_for_customer] czeka na klienta
        [escalated] eskalowane do kierownika
        [resolved] rozwiązane, czeka na potwierdzenie klienta
        [closed] zamknięte
        [declined] odrzucone
        [reopened] ponownie otwarte
       *[other] { $state }
    }
staff-help =
    <b>hearback dla zespołu</b>
    Każde zgłoszenie ma tu własny temat. Wszystko, co napiszesz w temacie zgłoszenia, trafi do klienta podpisane twoim imieniem; zacznij wiadomość od <b>!</b> (albo użyj /note), aby dodać notatkę wewnętrzną, której klient nigdy nie zobaczy.
    /queue — zgłoszenia, których nikt nie przejął, od najstarszych, i obciążenie każdej osoby
    /mine — twoje otwarte zgłoszenia
    /case HB-XXXXXX — jedno zgłoszenie i link do jego tematu
staff-unknown-command = Nie znam tu polecenia /{ $command }. Wyślij /help, aby zobaczyć polecenia dla zespołu.
staff-note-how = Wpisz notatkę po poleceniu, w temacie zgłoszenia: /note klient dzwonił też do nas.
staff-case-ended = Nie wysłano: zgłoszenie { $number } ma status „{ staff-state }”, więc stąd nic nie trafia do klienta. Jeśli klient napisze ponownie, powstanie nowe zgłoszenie.
staff-only = Zgłoszenia zespołu { $team } mogą obsługiwać tylko jego członkowie.
staff-button-stale = Ten przycisk należy do zgłoszenia, które zostało przeniesione. Użyj karty w bieżącym temacie zgłoszenia.
staff-already-taken = Zgłoszenie { $number } prowadzi już { $owner }. Jeśli masz je przejąć, poproś tę osobę o przekazanie.
staff-not-owner = Zgłoszenie { $number } prowadzi { $owner }: tylko ta osoba lub kierownik może to zrobić.
staff-not-now = To niemożliwe, gdy zgłoszenie { $number } ma status „{ staff-state }”.
staff-transfer-where = Dokąd przekazać zgłoszenie { $number }?
staff-prompt-transfer = { $name }, napisz tutaj w jednej wiadomości powód przekazania (pozostanie wewnętrzny). Przez { $minutes } min twoja następna wiadomość w tym temacie zostanie przyjęta jako powód.
staff-prompt-ask = { $name }, napisz tutaj w jednej wiadomości pytanie do klienta. Zgłoszenie będzie potem czekać na odpowiedź. Przez { $minutes } min twoja następna wiadomość w tym temacie zostanie przyjęta jako pytanie.
staff-prompt-decline = { $name }, napisz powód odmowy słowami, które przeczyta klient. Otrzyma wraz z nim jednoznaczne „nie” i możliwość odwołania się do kierownika. Przez { $minutes } min twoja następna wiadomość w tym temacie zostanie przyjęta jako powód.
staff-prompt-cancelled = Anulowano: nic się nie zmieniło.
staff-prompt-text-only = Odpowiedz tekstem (jedną wiadomością) albo naciśnij „Anuluj”.
staff-queue = <b>Czekają na konsultanta w zespole { $team }</b>: { $count }{ $count ->
        [0] {""} — nikt nie czeka.
       *[other] {""}
    }
staff-mine = <b>{ $name } — otwarte zgłoszenia</b>: { $count }
staff-case-line = { $number } · { $category } · { staff-state } · czeka { $hours } godz. { $minutes } min{ $owner ->
        [none] {""}
       *[other] {""} · { $owner }
    }{ $link ->
        [none] {""}
       *[other] {""} · { $link }
    }
staff-case-not-found = Nie ma zgłoszenia „{ $query }”.
staff-case =
    📋 <b>{ $number }</b> · { $category } · { $team } · { staff-state }{ $owner ->
        [none] {""}
       *[other] {""} · { $owner }
    }
    👤 { $customer }
    { $description }{ $link ->
        [none] {""}
       *[other] {""}
        { $link }
    }

topic-customer-header = 💬 Poniżej kopiowane są wiadomości klienta ({ $customer }) dotyczące zgłoszenia { $number }. Co tu napiszesz, trafi do klienta podpisane twoim imieniem; zacznij od <b>!</b>, aby dodać notatkę wewnętrzną.
topic-customer-answered = ↩️ Klient odpowiedział: zgłoszenie { $number } wraca { $owner ->
        [none] do zespołu
       *[other] do osoby prowadzącej ({ $owner })
    }.
topic-customer-edited = ✏️ { $customer } — poprawiona wiadomość: { $text }
topic-customer-blocked = ⛔ Klient zablokował bota: wiadomości dotyczące { $number } już do niego nie docierają. Jeśli udostępnił numer, spróbuj zadzwonić.
topic-not-delivered = ⛔ Nie dostarczono: klient zablokował bota.
topic-taken = 🙋 { $owner } przejmuje zgłoszenie { $number }. Klient został powiadomiony.
topic-resolved = ✅ { $owner } oznacza zgłoszenie { $number } jako rozwiązane. Klient został poproszony o potwierdzenie.
topic-confirmed = 🎉 Klient potwierdził, że problem w zgłoszeniu { $number } jest rozwiązany. Zgłoszenie zamknięte.
topic-not-solved = ⚠️ Klient twierdzi, że problem w zgłoszeniu { $number } NIE jest rozwiązany. Zgłoszenie zostało ponownie otwarte{ $owner ->
        [none] {""}
       *[other] {""} i nadal prowadzi je { $owner }
    }.
topic-rated = ⭐ Klient ocenił zgłoszenie { $number }: { $stars }/5.
topic-rating-comment = 💬 Komentarz klienta do zgłoszenia { $number }: { $comment }
topic-asked = ❓ { $owner } zadaje klientowi pytanie; zgłoszenie { $number } czeka na odpowiedź.
topic-declined = 🚫 { $owner } odrzuca zgłoszenie { $number }. Powód przekazany klientowi: { $reason }
topic-escalated = 🚨 Zgłoszenie { $number } eskalowano do kierownika ({ $manager }): { escalation-why }.
topic-paged = 📟 { $manager } otrzymuje wezwanie w sprawie zgłoszenia { $number }{ $level ->
        [1] {""}
       *[other] {""} (krok { $level } łańcucha)
    }; na potwierdzenie ma czas do { $due }.
topic-chain-ended = 📟 Nikt nie potwierdził przyjęcia zgłoszenia { $number }; { $manager } to ostatnie ogniwo łańcucha. Dopilnuj, żeby ktoś odpowiedział klientowi.
topic-acknowledged = ✅ { $manager } potwierdza przyjęcie zgłoszenia { $number } i obiecuje klientowi odpowiedź do { $due }.
topic-promise-kept = ⏰ { $number }: klientowi obiecano informację do { $promised }, ale nikt nie napisał, więc bot wysłał rzetelną informację o stanie sprawy. Kolejna informacja obiecana do { $due }.{ $owner ->
        [none] {""} Nikt jeszcze nie przejął zgłoszenia.
       *[other] {""} { $owner }, napisz do klienta.
    }
topic-sla-warning = ⚠️ { $number }: minęło 80% czasu na { $what ->
        [first] pierwszą odpowiedź
       *[resolve] rozwiązanie
    }; termin upływa { $due }.{ $owner ->
        [none] {""} Nikt jeszcze nie przejął zgłoszenia.
       *[other] {""} { $owner }, to zgłoszenie jest twoje.
    }
topic-still-needs-help = 🙋 Klient twierdzi, że nadal potrzebuje pomocy w sprawie zgłoszenia { $number }.{ $owner ->
        [none] {""}
       *[other] {""} { $owner }, twoja kolej.
    }
topic-closed-unanswered = 💤 Zgłoszenie { $number } jest zamknięte: klient nie odpowiedział w terminie. Może je ponownie otworzyć.
topic-reopened = 🔄 Klient ponownie otworzył zgłoszenie { $number }.
escalation-why = { $why ->
        [first-response-breach] brak pierwszej odpowiedzi w terminie
        [resolution-breach] nierozwiązane w terminie
        [customer-request] klient poprosił o kierownika
        [appeal] klient odwołuje się od odmowy
        [reopened] ponownie otwarte: klient twierdzi, że problem nie jest rozwiązany
        [low-rating] klient wystawił niską ocenę
        [transfers] zbyt wiele przekazań
        [unreachable] nie ma już kontaktu z klientem
        [staff] na prośbę zespołu
       *[other] { $why }
    }
topic-transferred-person = 🔀 Zgłoszenie { $number } przekazane: { $from } → { $to }. Powód: { $reason }
topic-back-to-queue = ↩️ { $from } zwraca zgłoszenie { $number } do kolejki zespołu { $team }. Powód: { $reason }
topic-moved = 🔀 { $from } przenosi zgłoszenie { $number } do zespołu { $team }. Powód: { $reason }. Ten temat nie jest już śledzony.
topic-arrived = 🔀 Zgłoszenie { $number } trafia tutaj, przekazuje: { $from }. Powód: { $reason }
topic-history = 🗂 Ten temat został ponownie otwarty dla zgłoszenia { $number }. Ostatnie wpisy historii:
case-event = { $kind ->
        [register] zarejestrowano
        [message] klient napisał
        [attachment] klient wysłał plik
        [edit] klient poprawił wiadomość
        [reply] wysłano odpowiedź
        [take] przejęto
        [transfer_to_person] przekazano koledze
        [transfer_to_team] przekazano innemu zespołowi
        [ask_customer] zadano pytanie klientowi
        [customer_answered] klient odpowiedział
        [escalate] eskalowano
        [appeal] odmowa zaskarżona
        [resolve] oznaczono jako rozwiązane
        [confirm] zamknięto
        [reject_resolution] klient: nie rozwiązane
        [expire] zamknięto bez odpowiedzi
        [withdraw] wycofano
        [decline] odrzucono
        [reopen] otwarto ponownie
        [rating] ocena
        [rating_comment] komentarz do oceny
        [acknowledged] kierownik potwierdził
        [check_in] wysłano informację o stanie
        [escalation] eskalacja
        [note] notatka wewnętrzna
        [paged] powiadomiono następnego kierownika
        [reminded] przypomniano klientowi
        [still_needs_help] klient nadal potrzebuje pomocy
        [topic_lost] wątek otwarto ponownie
        [topic_refused] nie udało się otworzyć wątku
        [unreachable] klient zablokował bota
        [review] odpowiedziano na przegląd
       *[other] { $kind }
    }
topic-history-line = { $at } · { $actor } · { case-event }{ $text ->
        [none] {""}
       *[other] : { $text }
    }

## Managers

manager-escalation =
    🚨 <b>{ $manager }, zgłoszenie { $number } eskalowano do ciebie</b> · { $category }{ $level ->
        [0] {""}
       *[other] {""} (nikt przed tobą w łańcuchu nie potwierdził przyjęcia)
    }
    <b>Powód:</b> { escalation-why }
    Klient: { $customer } · { staff-state }{ $owner ->
        [none] {""} · nikt nie przejął zgłoszenia
       *[other] {""} · prowadzi: { $owner }
    }
    { $description }{ $link ->
        [none] {""}
       *[other] {""}
        Temat: { $link }
    }
    Potwierdź przyjęcie do <b>{ $due }</b>, inaczej wezwanie trafi do następnej osoby w łańcuchu.
    <b>Historia</b>
manager-history-line = { $at } · { case-event }{ $text ->
        [none] {""}
       *[other] : { $text }
    }
manager-help =
    <b>hearback dla kierowników</b>
    Eskalacje trafiają tutaj jako karty: <b>Potwierdź</b> przekazuje klientowi twoje imię i termin twojej odpowiedzi; <b>Przejmij sprawę</b> sprawia, że to ty prowadzisz zgłoszenie; <b>Zmień przydział</b> przekazuje zgłoszenie zespołowi lub konkretnej osobie; <b>Odpowiedz klientowi</b> wysyła klientowi to, co tu napiszesz, podpisane twoim imieniem; <b>Rozwiązane</b> prosi klienta o potwierdzenie, że problem zniknął.
    /report — co się wydarzyło w ostatniej dobie, najpierw złe wiadomości (/report 7d, /report 30d albo daty)
    /reviews — analizy czekające na twoją odpowiedź
    /done — koniec pisania do klienta
    W każdy dzień roboczy twoje podsumowanie przychodzi tutaj o ustalonej godzinie.
manager-acked = ✅ Potwierdzono. Klient zgłoszenia { $number } wie już, że odpowiesz do { $due }.
manager-already-acked = Ta eskalacja ma już potwierdzenie: { $name }.
manager-case-ended = To zgłoszenie jest zakończone; nadal możesz odpowiedzieć klientowi.
manager-not-now = W obecnym stanie zgłoszenia nie da się tego zrobić.
manager-reassign-where = Dokąd przekazać zgłoszenie { $number }?
manager-reassigned = { $owner ->
        [none] Zgłoszenie { $number } trafia teraz do zespołu { $team }
       *[other] Zgłoszenie { $number } prowadzi teraz { $owner }
    }. Klient został powiadomiony.
manager-reply-mode = ✍️ Przez następne { $minutes } min wszystko, co tu wyślesz, trafi do klienta ({ $customer }, zgłoszenie { $number }), podpisane twoim imieniem i stanowiskiem. Gdy skończysz, naciśnij „Gotowe” albo wyślij /done.
manager-reply-done = Gotowe: twoje wiadomości nie trafiają już do klienta.
manager-reviews = <b>Analizy czekające na twoją odpowiedź</b>: { $count }{ $count ->
        [0] {""} — nie ma nic do analizy.
       *[other] {""}
    }
review-line = { $number } · { escalation-why } · { $at }
review-ask = Co powinniśmy byli zrobić inaczej w zgłoszeniu { $number } ({ escalation-why })? Napisz to w jednej wiadomości.
review-root-cause = Dziękuję. Jaka była przyczyna źródłowa?
review-closed = Analiza zgłoszenia { $number } jest zamknięta: { $cause }.

## Podsumowanie dla kierowników i /report: najpierw złe wiadomości, potem liczby wobec celów.
chart-opened = Otwarte
chart-closed = Zamknięte
chart-breaches = Przekroczone terminy
chart-rating = Średnia ocena
digest-chart = 📊 { $name }: ostatnie { $days } dni. 🟦 otwarte · 🟩 zamknięte · 🟥 przekroczone terminy · 🟧 średnia ocena (skala po prawej)
digest-title =
    <b>{ $name }: od { $since } do { $until }</b>
    { $categories }
    ⚠️ <b>Najpierw złe wiadomości</b>
digest-empty = ☀️ { $name }: spokojny czas w kategoriach { $categories } od { $since } do { $until }: brak nowych zgłoszeń, nikt nie czeka, nie ma czego analizować.
digest-first-late = • Pierwsza odpowiedź później niż obiecano: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    }, { $numbers }
digest-resolve-late = • Nierozwiązane w terminie: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    }, { $numbers }
digest-reopened = • Ponownie otwarte przez klienta: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    }, { $numbers }
digest-appealed = • Odmowy, od których klient się odwołał: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    }, { $numbers }
digest-unacknowledged = • Eskalacje, których nikt nie potwierdził: { $count }
digest-unacknowledged-line = {"   "}◦ { $number } czeka na: { $manager }, od { $waited }
digest-low-rating = • Ocena { $stars } ★ dla { $number }{ $comment ->
        [none] {""}, bez komentarza
       *[other] : „{ $comment }”
    }
digest-more = {"   "}… i jeszcze { $count }
digest-waiting = • Klienci, którzy wciąż na nas czekają: { $count }; najdłużej:
digest-waiting-line = {"   "}◦ { $number } ({ $category }), od { $waited }
digest-repeat = • 🔁 Powtarzająca się przyczyna: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    } w ciągu { $days } dni, { $cause }
digest-reviews-open = • Analizy czekające na twoją odpowiedź: { $count } (/reviews)
digest-no-bad-news = ✅ Brak złych wiadomości: wszystkie terminy dotrzymane, nikt nie czeka.
digest-numbers = 📈 <b>Liczby</b>
digest-new-closed = Nowe: { $opened } · Zamknięte: { $closed }
digest-first-answer = { $category }: pierwsza odpowiedź po { $median } (mediana), 90% w ciągu { $p90 }; cel { $target }, osiągnięty w { $in_time } z { $count ->
        [one] jednego zgłoszenia
       *[other] { $count } zgłoszeń
    }
digest-first-answer-none = Pierwsze odpowiedzi: w tym okresie nie było żadnej.
digest-resolved = { $resolved ->
        [0] Rozwiązane: w tym okresie żadne.
       *[other] Rozwiązane w terminie: { $in_time } z { $resolved } ({ $percent }%)
    }
digest-rating = Średnia ocena: { NUMBER($average, minimumFractionDigits: 1, maximumFractionDigits: 1) } ★ z { $count ->
        [one] jednej oceny
       *[other] { $count } ocen
    }
digest-rating-none = Średnia ocena: w tym okresie nie było ocen.
digest-causes = 🔎 <b>Przyczyny</b>: co powinniśmy byli zrobić inaczej?
digest-cause = { $rank }. { $cause }: { $count ->
        [one] jedno zgłoszenie
        [few] { $count } zgłoszenia
       *[many] { $count } zgłoszeń
    }
digest-quote = {"   "}„{ $answer }” ({ $number })
report-usage = Za jaki okres? Napisz /report za ostatnią dobę, /report 7d lub /report 30d za ostatnie dni (najwyżej { $days }), /report 12h za godziny albo daty: /report 2026-11-01 2026-11-15.

## Obciążenie zespołu w /queue i ostrzeżenia dla kierowników przed przeciążeniem.
load-title = 👥 <b>Obciążenie w ostatnich { $window } dniach</b>{ $count ->
        [0] : w tej grupie nikt jeszcze nie pracował.
       *[other] {""}
    }
load-line = { $over ->
        [none] {""}
       *[other] ⚠️{" "}
    }{ $name }: otwarte { $open } · obsłużone { $handled }, { $percent }% poza godzinami pracy{ $low ->
        [0] {""}
       *[other] {""} · niskie oceny z rzędu: { $low }
    } · pierwsza odpowiedź { $answer ->
        [none] —
       *[other] { $answer }
    }
load-alert-open = ⚠️ { $name } ({ $team }) ma teraz { $open } otwartych zgłoszeń, więcej niż limit { $limit }. Może warto przekazać część komuś innemu.
load-alert-after-hours = ⚠️ { $name } ({ $team }) zajmował(a) się { $after } z { $handled } zgłoszeń poza godzinami pracy w ostatnich { $window } dniach ({ $percent }%, limit to { $share }%).
