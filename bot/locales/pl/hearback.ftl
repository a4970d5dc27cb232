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
btn-card-later = ⏱ Więcej czasu
btn-more-time = { $within ->
        [plus1h] +1 godz.
        [plus4h] +4 godz.
        [plus1d] +1 dzień
       *[plus2d] +2 dni
    }
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
btn-reopen-case = 🔄 Otwórz ponownie { $number }
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
btn-withdraw = ↩️ Wycofaj tę reklamację
btn-withdraw-yes = Tak, wycofuję
btn-withdraw-no = Nie, niech pozostanie otwarta
btn-forget-yes = 🗑 Tak, usuwam wszystko
btn-forget-no = Nie, zachowuję dane
btn-decline-confirm = 🚫 Potwierdź odrzucenie
btn-decline-keep = Zostaw otwarte
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
    /manager — przekazanie otwartego zgłoszenia kierownikowi
    /withdraw — wycofanie reklamacji, która nie jest już potrzebna
    /mydata — kopia wszystkich danych, które przechowujemy
    /forget — usunięcie wszystkich danych, które przechowujemy
    /cancel — przerwanie składania reklamacji
    Wszystko, co zostanie tu napisane, gdy zgłoszenie jest otwarte, zostanie do niego dołączone.
unknown-command = Nie znam polecenia /{ $command }. Prosimy wysłać /help, aby zobaczyć, w czym mogę pomóc.
nothing-to-cancel = W tej chwili nie ma nic do anulowania. Aby złożyć reklamację, prosimy wysłać /new.
group-private-only = Reklamacje obsługujemy wyłącznie w czacie prywatnym, aby dane osobowe pozostały poufne. Prosimy napisać do mnie bezpośrednio: { $link }

## Command menu (Telegram's "/" menu: 1-256 characters, plain text)

menu-new = Nowa reklamacja
menu-status = Moje zgłoszenia i terminy odpowiedzi
menu-manager = Rozmowa z kierownikiem
menu-withdraw = Wycofanie reklamacji
menu-mydata = Kopia wszystkich przechowywanych danych
menu-forget = Usunięcie wszystkich przechowywanych danych
menu-help = W czym mogę pomóc
menu-cancel = Przerwanie składania reklamacji
menu-report = Co się wydarzyło, najpierw złe wieści: /report 7d
menu-reviews = Analizy czekające na twoją odpowiedź
menu-done = Koniec pisania do klienta
menu-queue = Zgłoszenia, których nikt nie przejął, od najstarszych
menu-mine = Moje otwarte zgłoszenia
menu-case = Jedno zgłoszenie: /case HB-XXXXXX
menu-note = Notatka wewnętrzna w temacie zgłoszenia
menu-staff-help = Jak działa ta grupa
menu-find = Szukaj zgłoszeń: numer, telefon, imię albo słowa
menu-r = Zapisane odpowiedzi w temacie zgłoszenia: /r klucz

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
intake-description-full = Opis osiągnął limit { $limit } { $limit ->
        [one] znaku
       *[other] znaków
    }, czyli maksymalną długość jednej reklamacji. Prosimy przejść dalej; po zarejestrowaniu zgłoszenia można w każdej chwili dodać więcej informacji.
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
intake-already-registered = Ta reklamacja jest już zarejestrowana pod numerem { $number }. Aby ją zobaczyć, prosimy wysłać /status.
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
    }{ $opens ->
        [none] {""}
       *[other] {""}
        Zespół w tej chwili nie pracuje; wraca do pracy: <b>{ $opens }</b>.
    }
    { promise-text }
    W każdej chwili można tu pisać: wszystko, co zostanie wysłane, trafi do zgłoszenia.
case-message-added = Dodano do zgłoszenia { $number }. { promise-text }
case-edit-added = Poprawka została dodana do zgłoszenia { $number }.
edit-not-found = Edytowana wiadomość nie należy do otwartego zgłoszenia, więc nic się nie zmieniło. Aby dodać informacje, prosimy napisać nową wiadomość.
contact-no-case = Dziękujemy, ale numer telefonu przechowujemy tylko razem z reklamacją i tylko na jej potrzeby: można go udostępnić przy składaniu reklamacji (/new).
contact-noted-case = Dziękujemy: numer telefonu został dołączony do zgłoszenia { $number } i widzi go tylko zespół, który się nim zajmuje.
which-case = Otwartych zgłoszeń jest kilka. Którego z nich dotyczy ta wiadomość?
reopen-or-new = Zgłoszenie { $number } jest zamknięte. Otworzyć je ponownie i dodać do niego tę wiadomość, czy to nowa reklamacja?

## Case: what happens to it

case-taken = 👤 Zgłoszeniem { $number } zajmuje się teraz <b>{ $p_name }</b>{ $p_title ->
        [none] {""}
       *[other] , { $p_title }
    }. { $p_owes ->
        [answer] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
       *[other] Kolejna informacja nadejdzie najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
    }
case-taken-answering = 👤 Zgłoszeniem { $number } zajmuje się teraz <b>{ $p_name }</b> i odpowiada tutaj, w tym czacie.
case-transferred-person = 🔀 Zgłoszenie { $number } przejmuje <b>{ $p_name }</b>, wraz z całą jego historią. { $p_owes ->
        [answer] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
       *[other] Kolejna informacja nadejdzie najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
    }
case-transferred-team = 🔀 Zgłoszenie { $number } wraz z całą historią zostało przekazane do zespołu <b>{ $p_name }</b>. Osoba z tego zespołu przejmie je i odpisze tutaj najpóźniej do <b>{ $p_due }</b>.
case-question =
    ❓ <b>{ $owner }</b> ma pytanie dotyczące zgłoszenia { $number }:
    { $question }
    Zgłoszenie czeka na odpowiedź: wystarczy odpisać tutaj.
case-resolved-ask =
    ✅ <b>{ $owner }</b> oznacza zgłoszenie { $number } jako rozwiązane:
    { $note }
    Czy to rozwiązało problem?

case-declined =
    Starannie przeanalizowaliśmy zgłoszenie { $number } i nie możemy spełnić tej prośby.
    Powód: { $reason }
    — { $signature }
    Jeśli ta decyzja wydaje się niesłuszna, przyciskiem poniżej można poprosić o jej ponowne rozpatrzenie. Reklamacjami tego rodzaju kieruje { $manager }.
case-escalated =
    🧑‍💼 { $why ->
        [customer-request] Zgodnie z prośbą zgłoszenie { $number } trafia teraz do kierownika:
        [appeal] Zgodnie z prośbą decyzję w sprawie zgłoszenia { $number } ponownie rozpatrzy kierownik:
        [first-response-breach] Obiecaliśmy odpowiedź na zgłoszenie { $number } do { $missed_due } i nie dotrzymaliśmy tego terminu, dlatego trafia ono teraz do kierownika:
        [broken-promise] Obiecaliśmy, że { $missed } odezwie się do { $missed_due }, ale tak się nie stało, dlatego zgłoszenie { $number } trafia teraz do kierownika:
        [missed-by-manager] Obiecaliśmy, że { $missed } odpowie do { $missed_due }, ale tak się nie stało, dlatego zgłoszenie { $number } trafia teraz do kierownika:
        [resolution-breach] Nie rozwiązaliśmy zgłoszenia { $number } w zakładanym terminie, dlatego trafia ono teraz do kierownika:
        [reopened] { $owner ->
            [none] Problem w zgłoszeniu { $number } nie został rozwiązany, dlatego zgłoszenie trafia teraz do kierownika:
           *[other] Problem w zgłoszeniu { $number } nie został rozwiązany: nadal zajmuje się nim { $owner }, a dodatkowo zgłoszenie trafia do kierownika:
        }
        [transfers] Zgłoszenie { $number } było przekazywane zbyt wiele razy, dlatego trafia teraz do kierownika:
       *[other] Zgłoszenie { $number } trafia teraz do kierownika:
    } <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }. Kierownik osobiście przygląda się sprawie.
    Najpóźniej do <b>{ $p_due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
case-escalated-held =
    🧑‍💼 { $why ->
        [customer-request] Zgodnie z prośbą zgłoszeniem { $number } zajmuje się kierownik.
        [resolution-breach] Nie rozwiązaliśmy zgłoszenia { $number } w zakładanym terminie.
        [reopened] Problem w zgłoszeniu { $number } nie został rozwiązany, dlatego zgłoszenie pozostaje u kierownika.
        [transfers] Zgłoszenie { $number } było przekazywane zbyt wiele razy.
       *[other] Zgłoszenie { $number } pozostaje u kierownika.
    } { promise-text }
case-renegotiated =
    ⏱ { $p_name } potrzebuje więcej czasu na zgłoszenie { $number }: { $reason }
    { $p_owes ->
        [answer] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
       *[other] Kolejna informacja nadejdzie najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
    }
case-passed-up =
    🧑‍💼 Obiecaliśmy, że { $missed } zajmie się zgłoszeniem { $number } do { $missed_due }, ale tak się nie stało, dlatego trafia ono teraz do kolejnego kierownika: <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }. Kierownik osobiście przygląda się sprawie.
    Najpóźniej do <b>{ $p_due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
case-chain-ended =
    Przepraszamy: obiecaliśmy, że ktoś z kierownictwa zajmie się zgłoszeniem { $number } do { $missed_due }, ale tak się nie stało. { promise-text }
case-manager-late =
    Obiecaliśmy, że { $missed } odpowie do { $missed_due }, ale odpowiedź jeszcze nie nadeszła; wysłaliśmy przypomnienie. { promise-text }
case-manager-gave-up =
    Obiecaliśmy, że { $missed } odpowie do { $missed_due }, ale tak się nie stało. { promise-text }
case-manager-acknowledged = 🧑‍💼 Od teraz za zgłoszenie { $number } osobiście odpowiada <b>{ $p_name }</b>{ $p_title ->
        [none] {""}
       *[other] , { $p_title }
    }. { $p_owes ->
        [decision] Decyzja zostanie przekazana najpóźniej do <b>{ $p_due }</b>.
       *[other] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
    }
rating-escalated = Dziękujemy za szczerość. { $manager }{ $title ->
        [none] {""}
       *[other] , { $title },
    } przeanalizuje, jak poprowadziliśmy zgłoszenie { $number } i co powinniśmy byli zrobić inaczej.
check-in =
    🔔 Informacja o zgłoszeniu { $number }. { promise-text }{ $state ->
        [reopened] {" "}Zgłoszenie jest znów otwarte, bo wcześniejsza odpowiedź nie rozwiązała problemu.
       *[other] {""}
    }
check-in-noted = Zapisano: zgłoszenie { $number } pozostaje otwarte. { promise-text }
case-waiting-reminder = ⏳ { $owner ->
        [none] Nasz zespół czeka
       *[other] { $owner } czeka
    } na odpowiedź na pytanie w sprawie zgłoszenia { $number }. Wystarczy odpisać tutaj.{ $close ->
        [none] {""}
       *[other] {""} Jeśli do { $close } nie otrzymamy odpowiedzi, zamkniemy zgłoszenie; można je w każdej chwili otworzyć ponownie.
    }
case-closed-unanswered = Nie otrzymaliśmy odpowiedzi w sprawie zgłoszenia { $number }, dlatego na razie je zamknęliśmy. Nic nie przepadło: aby kontynuować, wystarczy w dowolnej chwili nacisnąć „Otwórz ponownie”.
case-reopened-by-you = Zgłoszenie { $number } jest ponownie otwarte. { promise-text }
manager-already-asked = Prośba o przekazanie zgłoszenia { $number } kierownikowi została już wysłana: { $asked }; { $manager } już o niej wie. { promise-text } Jeśli nadal jest taka potrzeba, ponowną prośbę można wysłać od { $again }.
manager-already-paged = Zgłoszenie { $number } jest już u kierownika: { $p_name }{ $p_title ->
        [none] {""}
       *[other] , { $p_title }
    }. Kierownik osobiście przygląda się sprawie. Najpóźniej do <b>{ $p_due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
manager-already-holding = Zgłoszenie { $number } jest już u kierownika. { promise-text }
withdraw-none = Nie ma otwartego zgłoszenia, które można wycofać. Aby zobaczyć zgłoszenia, prosimy wysłać /status.
withdraw-which = Które zgłoszenie wycofać?
withdraw-confirm =
    Czy wycofać reklamację { $number }?
    Przestaniemy się nią zajmować i poinformujemy o tym zespół. Nic nie zostanie usunięte: później można ją ponownie otworzyć przez /status.
withdraw-kept = Dobrze: zgłoszenie { $number } pozostaje otwarte. { promise-text }
withdraw-ended = Zgłoszenie { $number } ma już status „{ state-name }”, więc nie ma czego wycofać.
case-withdrawn = Reklamacja { $number } została wycofana, a zespół otrzymał o tym informację. W razie zmiany zdania wystarczy nacisnąć „Otwórz ponownie”.
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
# A staff text at Telegram's length limit: no room for the signature, which follows on its own.
staff-reply-unsigned = { $text }
staff-signature = <i>— { $signature }</i>
staff-caption = { $caption ->
        [none] <i>— { $signature }</i>
       *[other] { $caption }

    <i>— { $signature }</i>
    }
# A caption with no room for the signature (which follows on its own), or none at all.
staff-caption-unsigned = { $caption ->
        [none] {""}
       *[other] { $caption }
    }

## Status

status-none = Nie ma jeszcze żadnych zgłoszeń.
status-header = <b>Zgłoszenia</b> ({ $count })
status-line =
    <b>{ $number }</b> · { $category } · { state-name }{ $p_who ->
        [none] {""}
       *[other] {""}
        { promise-text }
    }
status-case =
    <b>{ $number }</b> · { $category }
    Status: { state-name }{ $p_who ->
        [none] {""}
       *[other] {""}
        { promise-text }
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
        [withdraw] wycofano reklamację
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
        [withdrawn] wycofane przez klienta
       *[other] { $state }
    }
promise-text = { $p_who ->
        [none] {""}
        [team] Zgłoszenie czeka na pierwszą wolną osobę z zespołu { $p_name }{ $p_ahead ->
            [none] {""}
            [0] {""} i jest następne w kolejce
            [51] {""}; przed nim w kolejce jest ponad 50 zgłoszeń
            [one] {""}; przed nim w kolejce jest { $p_ahead } zgłoszenie
            [few] {""}; przed nim w kolejce są { $p_ahead } zgłoszenia
            [many] {""}; przed nim w kolejce jest { $p_ahead } zgłoszeń
           *[other] {""}; przed nim w kolejce jest { $p_ahead } zgłoszenia
        }. { $p_owes ->
            [answer] Termin naszej odpowiedzi: do <b>{ $p_due }</b>.{ $p_typical ->
                [none] {""}
               *[other] {" "}W ostatnich 7 dniach typowy czas do pierwszej odpowiedzi w takich sprawach to { $p_typical } czasu pracy.
            }
           *[other] Odezwiemy się najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
        }
        [paged] <b>{ $p_name }</b>{ $p_title ->
            [none] {""}
           *[other] , { $p_title },
        } osobiście przygląda się zgłoszeniu. Najpóźniej do <b>{ $p_due }</b> poinformujemy, kto i kiedy udzieli odpowiedzi.
        [manager] <b>{ $p_name }</b>{ $p_title ->
            [none] {""}
           *[other] , { $p_title },
        } osobiście odpowiada za zgłoszenie. { $p_owes ->
            [decision] Decyzja zostanie przekazana najpóźniej do <b>{ $p_due }</b>.
            [update] Kolejna informacja nadejdzie najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
           *[answer] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
        }
       *[person] Zgłoszeniem zajmuje się <b>{ $p_name }</b>. { $p_owes ->
            [answer] Odpowiedź nadejdzie najpóźniej do <b>{ $p_due }</b>.
           *[update] Kolejna informacja nadejdzie najpóźniej do <b>{ $p_due }</b>, a jeśli pojawią się nowe wiadomości — wcześniej.
        }
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
    <b>Rozwiązać do:</b> { $resolve_due }{ $promise_who ->
        [none] {""}
       *[other] {""}
        <b>Obiecano klientowi:</b> { $promise_owes ->
            [answer] odpowiedź
            [decision] decyzję
            [who] informację, kto odpowie,
           *[update] kolejną informację
        } do { $promise_due }; odpowiada: { $promise_who }
    }{ $reopened ->
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
        [withdrawn] wycofane przez klienta
       *[other] { $state }
    }
staff-help =
    <b>hearback dla zespołu</b>
    Każde zgłoszenie ma tu własny temat. Wszystko, co napiszesz w temacie zgłoszenia, trafi do klienta podpisane twoim imieniem; zacznij wiadomość od <b>!</b> (albo użyj /note), aby dodać notatkę wewnętrzną, której klient nigdy nie zobaczy.
    /queue — zgłoszenia, których nikt nie przejął, od najstarszych, i obciążenie każdej osoby
    /mine — twoje otwarte zgłoszenia
    /case HB-XXXXXX — jedno zgłoszenie i link do jego tematu
    /find … — szukaj w zgłoszeniach zespołu: numer zgłoszenia, telefon, imię albo słowa z rozmowy
    /r — zapisane odpowiedzi dla klienta tego zgłoszenia, w jego języku; /r klucz wysyła jedną z nich
    Odpowiedź, która może brzmieć jak odsyłanie klienta dalej albo obiecywać bez terminu, zostaje wstrzymana: widzisz dlaczego, z przyciskami „Wyślij mimo to” i „Napisz od nowa”.
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
staff-prompt-resolve = { $name }, napisz w jednej wiadomości, jak rozwiązano zgłoszenie { $number }; klient przeczyta to razem z pytaniem, czy problem został rozwiązany. Przez { $minutes } min twoja następna wiadomość w tym temacie zostanie przyjęta jako opis rozwiązania.
staff-prompt-later = { $name }, napisz w jednej wiadomości, dlaczego potrzebujesz więcej czasu: klient przeczyta to razem z nowym terminem. Przez { $minutes } min twoja następna wiadomość w tym temacie zostanie przyjęta jako powód.
staff-more-time-how-long = Klientowi zgłoszenia { $number } obiecano termin: { $due }. Ile jeszcze czasu potrzebujesz? Klient od razu pozna nowy termin i twój powód, zanim upłynie poprzedni.
staff-later-not-now = O więcej czasu w zgłoszeniu { $number } może poprosić tylko osoba prowadząca i tylko przed upływem obiecanego terminu. Po jego upływie zgłoszenie zostaje eskalowane.
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
topic-copy-lost = ⚠️ Nie udało się skopiować wiadomości od klienta: została usunięta.
topic-description = 📄 Pełny opis zgłoszenia { $number }{ $parts ->
        [1] {""}
       *[other] {""}, część { $part } z { $parts }
    }:
    { $text }
topic-taken = 🙋 { $owner } przejmuje zgłoszenie { $number }. Klient został powiadomiony.
topic-resolved = ✅ { $owner } oznacza zgłoszenie { $number } jako rozwiązane: { $note }. Klient został poproszony o potwierdzenie.
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
topic-checked-in = 🔔 { $number }: klient od dłuższego czasu nie dostał od nas żadnej wiadomości, więc bot wysłał mu rzetelną informację o stanie sprawy: { $debtor } ma mu przekazać { $owes ->
        [answer] odpowiedź
        [who] informację, kto się tym zajmie,
        [decision] decyzję
       *[update] kolejną informację
    } do { $due }.
topic-promise-warning = ⏳ { $number }: minęło 80% czasu { $first ->
        [yes] na pierwszą odpowiedź
       *[other] obiecanego klientowi
    }; { $debtor } ma przekazać klientowi { $owes ->
        [answer] odpowiedź
        [decision] decyzję
       *[update] kolejną informację
    } do { $due }. Napisz do klienta (albo przekaż zgłoszenie) przed tym terminem, inaczej zgłoszenie zostanie eskalowane.
topic-renegotiated = ⏱ { $owner } prosi klienta zgłoszenia { $number } o więcej czasu, do { $due }: { $reason }
topic-manager-late = ⏰ { $number }: { $manager } nie odpowiada klientowi w obiecanym terminie i otrzymuje przypomnienie; klient czeka teraz na odpowiedź do { $due }.
topic-manager-missed = ⏰ { $number }: { $manager } ponownie nie odpowiada klientowi w terminie, a wyżej w łańcuchu nie ma już nikogo. Zgłoszenie wraca do zespołu: prosimy odpowiedzieć klientowi.
topic-decline-proposed = 🚫 { $owner } proponuje odrzucić zgłoszenie { $number }: { $reason }. Zgłoszenie jest u kierownika, decyzję podejmuje { $manager }; do tego czasu klient o niczym się nie dowie.
topic-decline-kept = ↩️ { $manager } nie potwierdza odrzucenia zgłoszenia { $number }: zgłoszenie pozostaje otwarte.
topic-withdrawn = ↩️ Klient wycofał zgłoszenie { $number }. Nie mamy już wobec niego żadnych zobowiązań w tej sprawie; klient może ponownie otworzyć zgłoszenie.
topic-sla-warning = ⚠️ { $number }: minęło 80% czasu na rozwiązanie; termin upływa { $due }.{ $owner ->
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
        [broken-promise] minął termin obiecany klientowi
        [missed-by-manager] brak odpowiedzi w terminie od kierownika, który potwierdził przyjęcie
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
        [promise_kept] obietnica dotrzymana
        [promise_broken] obietnica niedotrzymana
        [promise_renegotiated] obiecano nowy termin
        [decline_proposed] zaproponowano odrzucenie
        [decline_rejected] nie potwierdzono odrzucenia
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
    /new, /status, /manager, /withdraw, /mydata, /forget, /cancel — polecenia klienta, dla twojej własnej reklamacji
    W każdy dzień roboczy twoje podsumowanie przychodzi tutaj o ustalonej godzinie.
manager-last-in-chain = 📟 Nikt nie potwierdził przyjęcia zgłoszenia { $number }, a jesteś ostatnim ogniwem łańcucha eskalacji. Dopilnuj, żeby ktoś odpowiedział klientowi.{ $link ->
        [none] {""}
       *[other] {""} Temat: { $link }
    }
manager-promise-missed = ⏰ Klientowi zgłoszenia { $number } obiecano twoją odpowiedź do { $missed_due }, a klient jej nie otrzymał. Klient wie teraz, że odpowiesz do <b>{ $due }</b>{ $next ->
        [none] {""}.
       *[other] {""}; jeśli nie, wezwanie otrzyma { $next }.
    }
manager-promise-warning = ⏳ { $number }: klientowi obiecano { $owes ->
        [decision] twoją decyzję
        [update] od ciebie kolejną informację
       *[answer] twoją odpowiedź
    } do { $due }, a minęło już 80% tego czasu.
manager-resolve-how = Napisz w jednej wiadomości, jak rozwiązano zgłoszenie { $number }; klient przeczyta to razem z pytaniem, czy problem został rozwiązany.
manager-decline-proposed =
    🚫 { $owner } proponuje odrzucić zgłoszenie { $number }, eskalowane do ciebie. Powód, który otrzymałby klient:
    { $reason }
    Potwierdź odrzucenie z tym powodem albo zostaw zgłoszenie otwarte.{ $link ->
        [none] {""}
       *[other] {""} Temat: { $link }
    }
manager-decline-kept = Zgłoszenie { $number } pozostaje otwarte; informacja o tym trafiła do tematu zgłoszenia.
manager-decline-confirmed = Zgłoszenie { $number } zostało odrzucone; klient zna powód i może poprosić o ponowne rozpatrzenie.
manager-acked = ✅ Potwierdzono. Klient zgłoszenia { $number } wie już, że odpowiesz do { $due }.
manager-already-acked = Ta eskalacja ma już potwierdzenie: { $name }.
manager-case-ended = To zgłoszenie jest zakończone; nadal możesz odpowiedzieć klientowi.
manager-not-now = W obecnym stanie zgłoszenia nie da się tego zrobić.
manager-reassign-where = Dokąd przekazać zgłoszenie { $number }?
manager-reassigned = { $owner ->
        [none] Zgłoszenie { $number } trafia teraz do zespołu { $team }
       *[other] Zgłoszenie { $number } prowadzi teraz { $owner }
    }. Klient został powiadomiony.
manager-reply-mode = ✍️ Przez { $minutes ->
        [one] następną minutę
        [few] następne { $minutes } minuty
        [many] następne { $minutes } minut
       *[other] następne { $minutes } minuty
    } wszystko, co tu wyślesz, trafi do klienta ({ $customer }, zgłoszenie { $number }), podpisane twoim imieniem i stanowiskiem. Gdy skończysz, naciśnij „Gotowe” albo wyślij /done.
manager-meant-for-customer = ✋ Czy to było do klienta? Nic jeszcze nikomu nie wysłano: naciśnij przycisk, aby wysłać to jako swoją odpowiedź zamiast zgłaszać reklamację.
btn-send-to = ↩️ Wyślij do: { $customer } · { $number }
manager-sent-instead = ✅ Wysłano do: { $customer } ({ $number }) jako Twoją odpowiedź; szkic reklamacji usunięto.
manager-reply-done = Gotowe: twoje wiadomości nie trafiają już do klienta.
manager-reviews = <b>Analizy czekające na twoją odpowiedź</b>: { $count }{ $count ->
        [0] {""} — nie ma nic do analizy.
       *[other] {""}
    }
review-line = { $number } · { escalation-why } · { $at }
review-ask = Co powinniśmy byli zrobić inaczej w zgłoszeniu { $number } ({ escalation-why })? Napisz to w jednej wiadomości.
review-root-cause = Dziękuję. Jaka była przyczyna źródłowa?
review-closed = Analiza zgłoszenia { $number } jest zamknięta: { $cause }.

## Your data: /mydata, /forget, erasure

mydata-caption = 📄 Wszystkie dane, które przechowujemy, stan na { $at }.
mydata-summary =
    📄 <b>Wszystkie dane, które przechowujemy</b>, są w pliku powyżej (JSON: otworzy go każdy edytor tekstu).
    👤 { $name }{ $username ->
        [none] {""}
       *[other] {""} (@{ $username })
    }
    { $cases ->
        [0] Brak reklamacji
        [one] { $cases } reklamacja
        [few] { $cases } reklamacje
        [many] { $cases } reklamacji
       *[other] { $cases } reklamacji
    }, { $messages ->
        [one] { $messages } napisana wiadomość
        [few] { $messages } napisane wiadomości
        [many] { $messages } napisanych wiadomości
       *[other] { $messages } napisanych wiadomości
    }, { $files ->
        [one] { $files } plik
        [few] { $files } pliki
        [many] { $files } plików
       *[other] { $files } pliku
    }.{ $more ->
        [0] {""}
       *[other] {""} Poniżej pierwsze 20 reklamacji; plik zawiera wszystkie.
    }
    Aby usunąć je wszystkie, prosimy wysłać /forget.
mydata-case-line = • <b>{ $number }</b> · { $category } · { state-name }{ $files ->
        [0] {""}
        [one] {""} · { $files } plik
        [few] {""} · { $files } pliki
        [many] {""} · { $files } plików
       *[other] {""} · { $files } pliku
    }{ $phone ->
        [none] {""}
       *[other] {""} · 📞 { $phone }
    }{ $rating ->
        [0] {""}
       *[other] {""} · ⭐ { $rating }/5
    }
mydata-once-a-day = Kopia danych została wysłana { $sent }; jest powyżej w tym czacie. Nową można zamówić od { $again }.
forget-confirm =
    <b>Usunąć wszystkie dane, które przechowujemy?</b>{ $open ->
        [0] {""}
        [1] {""}
        • Najpierw otwarta reklamacja zostanie wycofana, a zespół otrzyma o tym informację.
       *[other] {""}
        • Najpierw otwarte reklamacje ({ $open }) zostaną wycofane, a zespół otrzyma o tym informację.
    }
    • Imię i nazwisko, nazwa użytkownika, numery telefonów, wszystko, co zostało nam napisane lub przesłane, oraz komentarze zostaną usunięte, a tematy zespołu dotyczące reklamacji skasowane.{ $cases ->
        [0] {""}
        [1] {""}
        • Reklamacja pozostanie tylko jako anonimowe dane (kategoria, daty, wynik, ocena) do naszych statystyk.
       *[other] {""}
        • Reklamacje ({ $cases }) pozostaną tylko jako anonimowe dane (kategoria, daty, wynik, ocena) do naszych statystyk.
    }
    Tego nie da się cofnąć. Aby zachować kopię, prosimy najpierw wysłać /mydata.
forget-kept = Nic nie zostało usunięte: dane i reklamacje pozostają bez zmian.
forget-done = ✅ Gotowe: wszystkie dane, które przechowywaliśmy, zostały usunięte.{ $cases ->
        [0] {""}
        [1] {""} Reklamacja pozostaje tylko jako anonimowe dane.
       *[other] {""} Reklamacje ({ $cases }) pozostają tylko jako anonimowe dane.
    } Przy ponownym kontakcie zaczniemy od nowa.
staff-case-not-yours = { $number } nie jest zgłoszeniem twojego zespołu, więc nie jest tu pokazywane.
staff-case-erased = 🗑 <b>{ $number }</b> · { $category } · { staff-state }. Dane osobowe klienta usunięto { $at }; zostały tylko anonimowe dane.
topic-erased = 🗑 Klient zgłoszenia { $number } poprosił o usunięcie swoich danych: zgłoszenie jest wycofane, jeśli było otwarte, a ten temat zostaje usunięty wraz z wiadomościami.
staff-case-erased-notice = 🗑 { $number } ({ $category }): klient poprosił o usunięcie swoich danych. Zgłoszenie jest wycofane, jeśli było otwarte; jego temat i wiadomości są usunięte, zostały tylko anonimowe dane.
manager-case-erased = 🗑 { $number }: { $why ->
        [retention] to zgłoszenie zakończyło się dawniej, niż przechowujemy dane osobowe
       *[other] klient poprosił o usunięcie swoich danych
    }, więc to, co pokazywała ta wiadomość, zostało usunięte.
manager-case-erased-alert = Dane osobowe zgłoszenia { $number } są usunięte: w tej sprawie nie można już nic zrobić.
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
digest-promises-broken = • Inne niedotrzymane obietnice wobec klienta: { $count ->
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
digest-new-closed = Nowe: { $opened } · Zamknięte: { $closed } · Wycofane przez klienta: { $withdrawn }
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
load-alert-open = ⚠️ { $name } ({ $team }) ma teraz { $open } { $open ->
        [one] otwarte zgłoszenie
        [few] otwarte zgłoszenia
       *[many] otwartych zgłoszeń
    }, więcej niż limit { $limit }. Może warto przekazać część komuś innemu.
load-alert-after-hours = ⚠️ { $name } ({ $team }): poza godzinami pracy — { $after } z { $handled } { $handled ->
        [one] zgłoszenia
       *[other] zgłoszeń
    } w ostatnich { $window } dniach ({ $percent }%, limit to { $share }%).

## Staff toolkit

staff-reply-held = ✋ { $name }, ta odpowiedź jest wstrzymana: klient jej nie widział.{ $deflect ->
        [none] {""}
       *[other] {" "}Może brzmieć jak odsyłanie klienta dalej: napisz, co zrobisz osobiście, albo przekaż zgłoszenie komuś, kto może pomóc.
    }{ $vague ->
        [none] {""}
       *[other] {" "}Obiecuje coś bez terminu: podaj konkretny czas, na przykład „dziś do 15:00”.
    } Wyślij ją mimo to albo napisz od nowa.
btn-held-send = ✅ Wyślij mimo to
btn-held-rewrite = ✏️ Napisz od nowa
staff-reply-released = ✅ { $name }: wstrzymana odpowiedź została jednak wysłana.
staff-reply-dropped = ✏️ { $name }: wstrzymana odpowiedź odrzucona, klient jej nie widział. Napisz nową tutaj.
staff-held-not-yours = Dziękujemy, ale wysłać albo odrzucić tę odpowiedź może tylko { $name ->
        [none] jej autor
       *[other] jej autor, { $name }
    }.
staff-held-settled = Ta odpowiedź została już wysłana albo odrzucona.
staff-held-case-ended = Zgłoszenie { $number } zostało zakończone, więc wstrzymana odpowiedź nie może już trafić do klienta.
staff-replies = 💬 <b>Zapisane odpowiedzi</b>: naciśnij jedną, aby wysłać ją klientowi w jego języku, albo napisz /r i jej klucz.
staff-replies-unknown = Nie ma zapisanej odpowiedzi „{ $asked }”. Oto zapisane odpowiedzi: naciśnij jedną albo napisz /r i jej klucz.
staff-replies-line = /r { $key } — { $title }
staff-replies-none = Nie ma jeszcze zapisanych odpowiedzi: ustawia się je jako [[replies]] w pliku TOML organizacji.
staff-replies-where = Użyj /r w temacie zgłoszenia: zapisana odpowiedź trafi do klienta tego zgłoszenia.
btn-saved-reply = 💬 { $title }
staff-saved-reply-sent =
    💬 { $name }: do klienta poszła zapisana odpowiedź „{ $title }” ({ $language }):
    { $text }
staff-find-how = Napisz po /find, czego szukać: numer zgłoszenia (/find HB-7K3Q9M), telefon, imię klienta albo słowa z rozmowy.
staff-find = 🔎 „{ $query }” w zgłoszeniach zespołu { $team }: { $count ->
        [0] nic nie znaleziono. Spróbuj numeru zgłoszenia, telefonu, imienia albo innego słowa.
        [one] { $count } zgłoszenie.
        [few] { $count } zgłoszenia{ $more ->
            [0] {""}.
           *[other] {""}; poniżej najnowsze: { $shown }.
        }
       *[other] { $count } zgłoszeń{ $more ->
            [0] {""}.
           *[other] {""}; poniżej najnowsze: { $shown }.
        }
    }
staff-find-line = { $number } · { $category } · { staff-state } · { $customer ->
        [none] (dane usunięte)
       *[other] { $customer }
    } · otwarte { $opened }{ $link ->
        [none] {""}
       *[other] {""} · { $link }
    }
topic-assigned = 🔁 Zgłoszenie { $number } przydzielono: { $owner }, następna osoba w kolejce spośród aktywnych w ostatniej godzinie. Klient został poinformowany.
