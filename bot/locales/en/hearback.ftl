## Buttons

btn-text = { $text }
btn-file-complaint = 📝 File a complaint
btn-my-cases = 📂 My cases
btn-continue = Continue ➡️
btn-confirm = ✅ Confirm
btn-edit = ✏️ Edit
btn-cancel = ✖️ Cancel
btn-share-phone = 📱 Share my phone number
btn-telegram-only = 💬 Telegram only
btn-edit-category = Category
btn-edit-description = Description
btn-edit-contact = How to reach me
btn-case = { $number } · { $category }
btn-case-details = Details of { $number }
btn-card-take = 🙋 Take
btn-card-transfer = 🔀 Transfer
btn-card-ask = ❓ Ask the customer
btn-card-resolve = ✅ Resolve
btn-card-decline = 🚫 Decline
btn-card-escalate = 🚨 Escalate
btn-card-later = ⏱ More time
btn-more-time = { $within ->
        [plus1h] +1 hour
        [plus4h] +4 hours
        [plus1d] +1 day
       *[plus2d] +2 days
    }
btn-transfer-team = { $own ->
        [none] ➡️ To the { $team } team
       *[other] ↩️ Back to the { $team } queue
    }
btn-transfer-person = 👤 To { $name }
btn-solved-yes = 👍 Yes, it's solved
btn-solved-no = 👎 No, it isn't
btn-stars = { $stars ->
        [1] ⭐ 1
       *[other] ⭐ { $stars }
    }
btn-skip-comment = Skip
btn-appeal = 🧑‍💼 Ask a manager to review
btn-still-need-help = 🙋 Still need help
btn-solved-now = ✅ Solved now
btn-talk-to-manager = 🧑‍💼 Talk to a manager
btn-reopen = 🔄 Reopen
btn-reopen-case = 🔄 Reopen { $number }
btn-ack = ✅ Acknowledge — reply by { $due }
btn-ack-within = ⏱ { $within ->
        [ack1h] 1 hour
        [ack4h] 4 hours
       *[ack1d] 1 day
    }
btn-take-over = 🙋 Take over
btn-reassign = 🔀 Reassign
btn-reply-customer = ✍️ Reply to the customer
btn-manager-resolve = ✅ Resolve
btn-done = Done
btn-withdraw = ↩️ Withdraw this complaint
btn-withdraw-yes = Yes, withdraw it
btn-withdraw-no = No, keep it open
btn-forget-yes = 🗑 Yes, erase everything
btn-forget-no = No, keep my data
btn-decline-confirm = 🚫 Confirm the decline
btn-decline-keep = Keep it open
btn-answer-review = ✍️ Answer { $number }
btn-root-cause = { $cause }

## Start and help

start-greeting =
    Hello, { $name }! This is the customer care desk of { $org }.
    Tell us what went wrong: every complaint gets a case number, a named person who handles it, and a firm time for our answer.
help =
    <b>What I can do</b>
    /new — file a new complaint
    /status — your cases and when you will hear from us
    /status HB-XXXXXX — one case with its history
    /manager — ask a manager to look at your open case
    /withdraw — withdraw a complaint you no longer need us to handle
    /mydata — a copy of everything we keep about you
    /forget — erase everything we keep about you
    /cancel — stop filing a complaint
    Anything you write here while a case is open is added to that case.
unknown-command = I don't know the command /{ $command }. Send /help to see what I can do.
nothing-to-cancel = There is nothing to cancel right now. Send /new to file a complaint.
group-private-only = Complaints are handled in a private chat, so that your details stay private. Please write to me directly: { $link }

## Command menu (Telegram's "/" menu: 1-256 characters, plain text)

menu-new = File a complaint
menu-status = My cases and when you will hear from us
menu-manager = Talk to a manager
menu-withdraw = Withdraw a complaint
menu-mydata = A copy of everything kept about you
menu-forget = Erase everything kept about you
menu-help = What I can do
menu-cancel = Stop filing a complaint
menu-report = What happened, bad news first: /report 7d
menu-reviews = Review items waiting for your answer
menu-done = Stop writing to a customer
menu-queue = Cases nobody has taken, oldest first
menu-mine = My open cases
menu-case = One case: /case HB-XXXXXX
menu-note = Internal note in a case topic
menu-staff-help = How this group works
menu-find = Search the team's cases: number, phone, name or words
menu-r = Saved replies, in a case topic: /r key

## Intake

intake-started-from-message = I'll file this as a complaint and keep what you wrote as its description.
intake-choose-category = What is your complaint about? Choose a category:
intake-describe =
    <b>{ $category }</b>: please describe the problem in your own words.
    You can also send photos, documents, voice notes or videos.
intake-description-more =
    Thank you, it's noted{ $attachments ->
        [0] {""}
        [one] {""} (1 file attached)
       *[other] {""} ({ $attachments } files attached)
    }.
    You can add more text or files. When you have said everything, press <b>Continue</b>.
intake-empty-description = Your message was empty. Please describe the problem in a few words.
intake-need-description = Please describe the problem in words before you continue: a photo alone does not tell us what went wrong.
intake-description-full = Your description has reached { $limit ->
        [one] 1 character
       *[other] { $limit } characters
    }, the most one complaint can hold. Please continue; once the case is registered you can add more at any time.
intake-forwarded-added = The forwarded message is added to your description.
intake-text-kept = Noted: I've added that to your description.
intake-file-kept = Noted: the file is attached to your complaint.
intake-contact-ask = How may we reach you? Share your phone number with the button below, or choose Telegram only.
intake-contact-not-own = Please share your own phone number with the button below, or choose Telegram only.
intake-contact-saved = Thank you.
intake-summary =
    <b>Please check your complaint</b>
    Category: { $category }
    Description: { $description }{ $hidden ->
        [0] {""}
        [one] {""} … (and 1 more character)
       *[other] {""} … (and { $hidden } more characters)
    }
    Files: { $attachments }
    Contact: { $contact ->
        [phone] phone { $phone }
       *[telegram] Telegram only
    }
    Is everything right?
intake-already-registered = This complaint is already registered as { $number }. Send /status to see it.
intake-edit-which = What would you like to change?
intake-cancelled = Cancelled: nothing was filed. Send /new whenever you want to file a complaint.
intake-in-progress = You are in the middle of filing a complaint. Continue below, or send /cancel to stop.
intake-edit-applied = Your change is saved in the description.
intake-reminder = You started a complaint but did not finish it. It is saved: you can continue right where you stopped.
intake-dropped = Your unfinished complaint was not completed within a day, so I have discarded it. Send /new to start again at any time.

## Case

case-registered =
    ✅ Your complaint is registered as <b>{ $number }</b>.
    Category: { $category }{ $attachments ->
        [0] {""}
        [one] {""}, 1 file attached
       *[other] {""}, { $attachments } files attached
    }{ $opens ->
        [none] {""}
       *[other] {""}
        The team is not at work now; it is back at work on <b>{ $opens }</b>.
    }
    { promise-text }
    You can write here at any time: everything you send is added to your case.
case-message-added = Added to { $number }. { promise-text }
case-edit-added = Your edit is added to { $number }.
edit-not-found = You edited a message that is not part of an open case, so nothing changed. To add information, write a new message.
contact-no-case = Thank you, but I keep a phone number only with a complaint, and only for that complaint: share it when you file one (/new).
contact-noted-case = Thank you: your phone number is added to { $number }, and only the team handling that case sees it.
which-case = You have several open cases. Which one is this about?
reopen-or-new = { $number } is closed. Shall I reopen it and add what you wrote, or is this a new complaint?

## Case: what happens to it

case-taken = 👤 <b>{ $p_name }</b>{ $p_title ->
        [none] {""}
       *[other] , { $p_title },
    } is now handling your case { $number }. { $p_owes ->
        [answer] You will hear from them by <b>{ $p_due }</b>.
       *[other] The next update comes by <b>{ $p_due }</b>, earlier if there is news.
    }
case-taken-answering = 👤 <b>{ $p_name }</b> is now handling your case { $number } and writes to you here.
case-transferred-person = 🔀 Your case { $number } is now handled by <b>{ $p_name }</b>, who has its full history. { $p_owes ->
        [answer] You will hear from them by <b>{ $p_due }</b>.
       *[other] The next update comes by <b>{ $p_due }</b>, earlier if there is news.
    }
case-transferred-team = 🔀 Your case { $number } has been passed to the <b>{ $p_name }</b> team, with its full history. A person from that team takes it and writes to you by <b>{ $p_due }</b>.
case-question =
    ❓ <b>{ $owner }</b> has a question about { $number }:
    { $question }
    Your case waits for your answer: just reply here.
case-resolved-ask =
    ✅ <b>{ $owner }</b> has marked your case { $number } as resolved:
    { $note }
    Did this solve your problem?

case-declined =
    We have looked at your case { $number } carefully, and we cannot do what you asked.
    The reason: { $reason }
    — { $signature }
    If you think this is wrong, you can ask { $manager }, who manages complaints of this kind, to review the decision with the button below.
case-escalated =
    🧑‍💼 { $why ->
        [customer-request] As you asked, your case { $number } is now with
        [appeal] As you asked, the decision on { $number } goes for review to
        [first-response-breach] We have not answered { $number } by { $missed_due } as we promised, so it now goes to
        [broken-promise] { $missed } has not written to you by { $missed_due } as promised, so { $number } now goes to
        [missed-by-manager] { $missed } has not answered you by { $missed_due } as promised, so { $number } now goes to
        [resolution-breach] We have not solved { $number } in the time we aimed for, so it now goes to
        [reopened] Because { $number } is not solved, { $owner ->
            [none] it
           *[other] { $owner } continues with it, and it
        } now goes to
        [transfers] Your case { $number } has been passed around too often, so it now goes to
       *[other] Your case { $number } is now with
    } <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }, who looks at it personally.
    By <b>{ $p_due }</b> you will hear who is answering you and when.
case-escalated-held =
    🧑‍💼 { $why ->
        [customer-request] As you asked, a manager looks at { $number }:
        [resolution-breach] We have not solved { $number } in the time we aimed for.
        [reopened] Because { $number } is not solved, it stays with a manager:
        [transfers] Your case { $number } has been passed around too often.
       *[other] Your case { $number } stays with a manager:
    } { promise-text }
case-renegotiated =
    ⏱ { $p_name } needs more time for your case { $number }: { $reason }
    { $p_owes ->
        [answer] You will hear from them by <b>{ $p_due }</b>.
       *[other] The next update comes by <b>{ $p_due }</b>, earlier if there is news.
    }
case-passed-up =
    🧑‍💼 { $missed } has not picked up your case { $number } by { $missed_due } as promised, so it now goes to <b>{ $manager }</b>{ $title ->
        [none] {""}
       *[other] , { $title }
    }, who looks at it personally.
    By <b>{ $p_due }</b> you will hear who is answering you and when.
case-chain-ended =
    We are sorry: nobody from management has picked up your case { $number } by { $missed_due } as promised. { promise-text }
case-manager-late =
    { $missed } has not answered you by { $missed_due } as promised and has been reminded. { promise-text }
case-manager-gave-up =
    { $missed } has not answered you by { $missed_due } as promised. { promise-text }
case-manager-acknowledged = 🧑‍💼 <b>{ $p_name }</b>{ $p_title ->
        [none] {""}
       *[other] , { $p_title },
    } is now personally responsible for your case { $number }. { $p_owes ->
        [decision] You will have the decision by <b>{ $p_due }</b>.
       *[other] You will hear from them by <b>{ $p_due }</b>.
    }
rating-escalated = Thank you for being honest with us. { $manager }{ $title ->
        [none] {""}
       *[other] , { $title },
    } will look at how we handled { $number } and what we should have done differently.
check-in =
    🔔 An update on your case { $number }: { promise-text }{ $state ->
        [reopened] {" "}It is open again because the earlier answer did not solve the problem.
       *[other] {""}
    }
check-in-noted = Noted: { $number } stays open. { promise-text }
case-waiting-reminder = ⏳ Your case { $number } is waiting for your answer to the question from { $owner ->
        [none] our team
       *[other] { $owner }
    }. Just reply here.{ $close ->
        [none] {""}
       *[other] {""} If we do not hear from you by { $close }, we will close the case; you can reopen it any time.
    }
case-closed-unanswered = We did not hear back from you about { $number }, so we have closed it for now. Nothing is lost: press Reopen whenever you want to continue.
case-reopened-by-you = Your case { $number } is open again. { promise-text }
manager-already-asked = You asked for a manager about { $number } on { $asked }: { $manager } has been told. { promise-text } If you still need to, you can ask again from { $again }.
manager-already-paged = Your case { $number } is already with { $p_name }{ $p_title ->
        [none] {""}
       *[other] , { $p_title }
    }, who looks at it personally. By <b>{ $p_due }</b> you will hear who is answering you and when.
manager-already-holding = A manager already answers for { $number }. { promise-text }
withdraw-none = You have no open case to withdraw. Send /status to see your cases.
withdraw-which = Which case do you want to withdraw?
withdraw-confirm =
    Do you want to withdraw your complaint { $number }?
    We stop working on it and tell the team. Nothing is deleted: you can reopen it later from /status.
withdraw-kept = Good: { $number } stays open. { promise-text }
withdraw-ended = { $number } is already { state-name }, so there is nothing to withdraw.
case-withdrawn = Your complaint { $number } is withdrawn and the team has been told. If you change your mind, press Reopen.
manager-no-open-case = You have no open case for a manager to look at. Send /new to file a complaint, or /status to see your cases.
manager-which-case = Which case should a manager look at?
case-closed-rate =
    🎉 Glad it's solved. Case { $number } is closed.
    How would you rate the way we handled it?
rating-comment-ask = Thank you for your rating ({ $stars }/5). Would you like to tell us what we should have done differently? Write it here, or press Skip.
rating-thanks = Thank you. Your feedback goes to the people who can change things.
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

status-none = You have no cases yet.
status-header = <b>Your cases</b> ({ $count })
status-line =
    <b>{ $number }</b> · { $category } · { state-name }{ $p_who ->
        [none] {""}
       *[other] {""}
        { promise-text }
    }
status-case =
    <b>{ $number }</b> · { $category }
    State: { state-name }{ $p_who ->
        [none] {""}
       *[other] {""}
        { promise-text }
    }
    <b>History</b>
status-not-found = I can't find a case "{ $query }" among yours. Send /status to see all your cases.
history-line = { $at } · { $kind ->
        [register] registered
        [message] you wrote
        [attachment] you sent a file
        [edit] you edited a message
        [reply] we wrote
        [transfer_to_person] passed to a colleague
        [transfer_to_team] passed to another team
        [ask_customer] we asked you
        [customer_answered] you answered
        [appeal] you asked for a manager's review
        [reject_resolution] you said it is not solved
        [rating] you rated it
        [take] taken by an agent
        [escalate] escalated to a manager
        [resolve] marked as resolved
        [confirm] closed
        [decline] declined
        [reopen] reopened
        [withdraw] withdrawn
       *[other] { $kind }
    }{ $text ->
        [none] {""}
       *[other] : { $text }
    }
state-name = { $state ->
        [waiting_for_agent] waiting for an agent
        [assigned] being handled
        [waiting_for_customer] waiting for your answer
        [escalated] with a manager
        [resolved] resolved, waiting for your confirmation
        [closed] closed
        [declined] declined
        [reopened] reopened
        [withdrawn] withdrawn by you
       *[other] { $state }
    }
promise-text = { $p_who ->
        [none] {""}
        [team] Your case is waiting for the next person of the { $p_name } team{ $p_ahead ->
            [none] {""}
            [0] {""}, and it is the next in line
            [51] {""}, with more than 50 cases ahead of it
            [one] {""}, with 1 case ahead of it
           *[other] {""}, with { $p_ahead } cases ahead of it
        }. { $p_owes ->
            [answer] Our answer is due by <b>{ $p_due }</b>.{ $p_typical ->
                [none] {""}
               *[other] {" "}Over the last 7 days the typical first answer for this kind of case took { $p_typical } of working time.
            }
           *[other] You will hear from us by <b>{ $p_due }</b>, earlier if there is news.
        }
        [paged] <b>{ $p_name }</b>{ $p_title ->
            [none] {""}
           *[other] , { $p_title },
        } looks at your case personally. By <b>{ $p_due }</b> you will hear who is answering you and when.
        [manager] <b>{ $p_name }</b>{ $p_title ->
            [none] {""}
           *[other] , { $p_title },
        } is personally responsible for your case. { $p_owes ->
            [decision] You will have the decision by <b>{ $p_due }</b>.
            [update] The next update comes by <b>{ $p_due }</b>, earlier if there is news.
           *[answer] You will hear from them by <b>{ $p_due }</b>.
        }
       *[person] <b>{ $p_name }</b> is handling your case. { $p_owes ->
            [answer] You will hear from them by <b>{ $p_due }</b>.
           *[update] The next update comes by <b>{ $p_due }</b>, earlier if there is news.
        }
    }

## Problems

unsupported-kind = { $kind ->
        [sticker] I can't add a sticker to a complaint.
        [animation] I can't add a GIF to a complaint.
        [location] I can't add a location to a complaint.
        [poll] I can't add a poll to a complaint.
       *[other] I can't add this kind of message to a complaint.
    } Please write in words, or send a photo, document, voice note or video.
button-stale = This button belongs to an earlier step. Please use the latest message.
button-unknown = This button is not recognised. Please use the buttons of the latest message.
update-failed = Sorry, something went wrong on our side while handling your message. It is kept, and our team has been alerted. You can send it again, or send /status to see your cases.

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
        ⛔ The customer has blocked the bot: messages do not reach them.
    }
    <b>State:</b> { staff-state }{ $owner ->
        [none] {""} · nobody has taken it
       *[other] {""} · owner: { $owner }
    }
    <b>First answer due:</b> { $first_due }
    <b>Resolve by:</b> { $resolve_due }{ $promise_who ->
        [none] {""}
       *[other] {""}
        <b>Promised to the customer:</b> { $promise_who }, { $promise_owes ->
            [answer] an answer
            [decision] a decision
            [who] who answers
           *[update] an update
        } by { $promise_due }
    }{ $reopened ->
        [0] {""}
        [one] {""}
        ⚠️ Reopened once: the customer said it was not solved.
       *[other] {""}
        ⚠️ Reopened { $reopened } times: the customer said it was not solved.
    }{ $transfers ->
        [0] {""}
        [one] {""}
        🔀 Transferred once.
       *[other] {""}
        🔀 Transferred { $transfers } times.
    }{ $rating ->
        [0] {""}
       *[other] {""}
        ⭐ Rated { $rating }/5.
    }
    <b>Description:</b>
    { $description }{ $files ->
        [0] {""}
        [one] {""}
        📎 1 file: { $kinds }
       *[other] {""}
        📎 { $files } files: { $kinds }
    }
staff-state = { $state ->
        [waiting_for_agent] waiting for an agent
        [assigned] in progress
        [waiting_for_customer] waiting for the customer
        [escalated] escalated to a manager
        [resolved] resolved, waiting for the customer's confirmation
        [closed] closed
        [declined] declined
        [reopened] reopened
        [withdrawn] withdrawn by the customer
       *[other] { $state }
    }
staff-help =
    <b>hearback for staff</b>
    Each case has its own topic here. Whatever you write in a case's topic goes to the customer, signed with your name; start a message with <b>!</b> (or use /note) for an internal note the customer never sees.
    /queue — cases nobody has taken, oldest first, and each person's load
    /mine — your open cases
    /case HB-XXXXXX — one case and the link to its topic
    /find … — search the team's cases: a case number, a phone number, a name or words from the conversation
    /r — saved replies for the case's customer, in their language; /r key sends one
    A reply that may read as passing the customer on, or that promises without a time, is held: you see why, with Send anyway and Rewrite.
staff-unknown-command = I don't know /{ $command } here. Send /help for the staff commands.
staff-note-how = Write the note after the command, in the case's topic: /note the customer called us too.
staff-case-ended = Not sent: case { $number } is { staff-state }, so nothing goes to the customer from here. If they write again, a new case starts.
staff-only = Only the { $team } team's staff can act on its cases.
staff-button-stale = This button belongs to a case that has moved elsewhere. Use the card in the case's current topic.
staff-already-taken = { $owner } already handles { $number }. Ask them to transfer it if you should take over.
staff-not-owner = { $owner } handles { $number }: only they or a manager can do this.
staff-not-now = That is not possible while { $number } is { staff-state }.
staff-transfer-where = Where should { $number } go?
staff-prompt-transfer = { $name }, write the reason for the transfer in one message here (it stays internal). For the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    }, your next message in this topic is taken as the reason.
staff-prompt-ask = { $name }, write your question for the customer in one message here. The case then waits for their answer. For the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    }, your next message in this topic is taken as the question.
staff-prompt-decline = { $name }, write the reason for declining, in words the customer will read. They get a firm "no" with it and the way to ask a manager for a review. For the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    }, your next message in this topic is taken as the reason.
staff-prompt-resolve = { $name }, write in one message how { $number } was resolved; the customer reads it with the question whether it solved their problem. For the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    }, your next message in this topic is taken as the resolution.
staff-prompt-later = { $name }, write in one message why you need more time: the customer reads it with the new time. For the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    }, your next message in this topic is taken as the reason.
staff-more-time-how-long = The customer of { $number } was promised { $due }. How much more time do you need? They are told the new time and your reason now, before the old time passes.
staff-later-not-now = Only the owner of { $number } can ask for more time, while the promised time is still ahead. Once it has passed, the case escalates.
staff-prompt-cancelled = Cancelled: nothing changed.
staff-prompt-text-only = Please answer in text (one message), or press Cancel.
staff-queue = <b>Waiting for an agent in { $team }</b>: { $count }{ $count ->
        [0] {""} — nobody is waiting.
       *[other] {""}
    }
staff-mine = <b>Open cases of { $name }</b>: { $count }
staff-case-line = { $number } · { $category } · { staff-state } · open for { $hours }h { $minutes }m{ $owner ->
        [none] {""}
       *[other] {""} · { $owner }
    }{ $link ->
        [none] {""}
       *[other] {""} · { $link }
    }
staff-case-not-found = There is no case "{ $query }".
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

topic-customer-header = 💬 Messages from { $customer } about { $number } are copied below. What you write here goes to them, signed with your name; start with <b>!</b> for an internal note.
topic-customer-answered = ↩️ The customer answered: { $number } is back with { $owner ->
        [none] the team
       *[other] { $owner }
    }.
topic-customer-edited = ✏️ { $customer } edited this message: { $text }
topic-customer-blocked = ⛔ The customer has blocked the bot: messages about { $number } no longer reach them. Try their phone if they shared it.
topic-not-delivered = ⛔ Not delivered: the customer has blocked the bot.
topic-copy-lost = ⚠️ A message from the customer could not be copied: it was deleted.
topic-description = 📄 The whole description of { $number }{ $parts ->
        [1] {""}
       *[other] {""}, part { $part } of { $parts }
    }:
    { $text }
topic-taken = 🙋 { $owner } took { $number }. The customer has been told.
topic-resolved = ✅ { $owner } marked { $number } as resolved: { $note }. The customer is asked to confirm.
topic-confirmed = 🎉 The customer confirmed that { $number } is solved. Case closed.
topic-not-solved = ⚠️ The customer says { $number } is NOT solved. The case is reopened{ $owner ->
        [none] {""}
       *[other] {""} and stays with { $owner }
    }.
topic-rated = ⭐ The customer rated { $number }: { $stars }/5.
topic-rating-comment = 💬 The customer's comment on { $number }: { $comment }
topic-asked = ❓ { $owner } asked the customer a question; { $number } waits for the answer.
topic-declined = 🚫 { $owner } declined { $number }. Reason given to the customer: { $reason }
topic-escalated = 🚨 { $number } is escalated to { $manager }: { escalation-why }.
topic-paged = 📟 { $manager } is paged about { $number }{ $level ->
        [1] {""}
       *[other] {""} (step { $level } of the chain)
    }; they have until { $due } to acknowledge.
topic-chain-ended = 📟 Nobody acknowledged { $number }; { $manager } is the last in the chain. Please make sure someone answers the customer.
topic-acknowledged = ✅ { $manager } acknowledged { $number } and promised the customer an answer by { $due }.
topic-checked-in = 🔔 { $number }: the customer heard nothing for a while, so the bot sent them an honest status: { $debtor } owes them { $owes ->
        [answer] an answer
        [who] who answers them
        [decision] a decision
       *[update] an update
    } by { $due }.
topic-promise-warning = ⏳ { $number }: 80% of the time { $first ->
        [yes] for the first answer
       *[other] promised to the customer
    } is gone; { $debtor } owes them { $owes ->
        [answer] an answer
        [decision] a decision
       *[update] an update
    } by { $due }. Write to them (or transfer the case) before then, or it escalates.
topic-renegotiated = ⏱ { $owner } asked the customer of { $number } for more time, until { $due }: { $reason }
topic-manager-late = ⏰ { $manager } did not answer the customer of { $number } in time and has been reminded; the customer now expects it by { $due }.
topic-manager-missed = ⏰ { $manager } did not answer the customer of { $number } in time again, and nobody is above them in the chain. The case is the team's again: please answer the customer.
topic-decline-proposed = 🚫 { $owner } proposes to decline { $number }: { $reason }. The case is with { $manager }, who decides; the customer hears nothing until then.
topic-decline-kept = ↩️ { $manager } did not confirm the decline of { $number }: the case stays open.
topic-withdrawn = ↩️ The customer withdrew { $number }. Nothing more is owed to them; they can reopen it.
topic-sla-warning = ⚠️ { $number }: 80% of the time for the resolution is gone; it is due by { $due }.{ $owner ->
        [none] {""} Nobody has taken the case yet.
       *[other] {""} { $owner }, this one is yours.
    }
topic-still-needs-help = 🙋 The customer says they still need help with { $number }.{ $owner ->
        [none] {""}
       *[other] {""} { $owner }, over to you.
    }
topic-closed-unanswered = 💤 { $number } is closed: the customer did not answer in time. They can reopen it.
topic-reopened = 🔄 The customer reopened { $number }.
escalation-why = { $why ->
        [first-response-breach] no first answer in time
        [resolution-breach] not resolved in time
        [customer-request] the customer asked for a manager
        [appeal] the customer appealed the decline
        [reopened] reopened: the customer says it is not solved
        [low-rating] the customer rated it low
        [transfers] transferred too many times
        [unreachable] the customer can no longer be reached
        [staff] staff asked for it
        [broken-promise] the time promised to the customer passed
        [missed-by-manager] the manager who acknowledged it did not answer in time
       *[other] { $why }
    }
topic-transferred-person = 🔀 { $from } transferred { $number } to { $to }. Reason: { $reason }
topic-back-to-queue = ↩️ { $from } put { $number } back in the { $team } queue. Reason: { $reason }
topic-moved = 🔀 { $from } moved { $number } to the { $team } team. Reason: { $reason }. This topic is no longer followed.
topic-arrived = 🔀 { $number } arrives from { $from }. Reason: { $reason }
topic-history = 🗂 This topic was opened again for { $number }. Its latest history:
case-event = { $kind ->
        [register] registered
        [message] customer wrote
        [attachment] customer sent a file
        [edit] customer edited a message
        [reply] reply sent
        [take] taken
        [transfer_to_person] passed to a colleague
        [transfer_to_team] passed to another team
        [ask_customer] customer asked
        [customer_answered] customer answered
        [escalate] escalated
        [appeal] decline appealed
        [resolve] marked resolved
        [confirm] closed
        [reject_resolution] customer said not solved
        [expire] closed unanswered
        [withdraw] withdrawn
        [decline] declined
        [reopen] reopened
        [rating] rated
        [rating_comment] rating comment
        [acknowledged] manager acknowledged
        [check_in] check-in sent
        [escalation] escalation
        [note] internal note
        [paged] next manager paged
        [reminded] customer reminded
        [still_needs_help] customer still needs help
        [topic_lost] topic opened again
        [topic_refused] topic could not be opened
        [unreachable] customer blocked the bot
        [review] review answered
        [promise_kept] promise kept
        [promise_broken] promise broken
        [promise_renegotiated] new time promised
        [decline_proposed] decline proposed
        [decline_rejected] decline not confirmed
       *[other] { $kind }
    }
topic-history-line = { $at } · { $actor } · { case-event }{ $text ->
        [none] {""}
       *[other] : { $text }
    }

## Managers

manager-escalation =
    🚨 <b>Escalation to you, { $manager }: { $number }</b> · { $category }{ $level ->
        [0] {""}
       *[other] {""} (nobody before you in the chain acknowledged it)
    }
    <b>Why:</b> { escalation-why }
    Customer: { $customer } · { staff-state }{ $owner ->
        [none] {""} · nobody has taken it
       *[other] {""} · owner: { $owner }
    }
    { $description }{ $link ->
        [none] {""}
       *[other] {""}
        Topic: { $link }
    }
    Please acknowledge by <b>{ $due }</b>, or the next person in the chain is paged.
    <b>History</b>
manager-history-line = { $at } · { case-event }{ $text ->
        [none] {""}
       *[other] : { $text }
    }
manager-help =
    <b>hearback for managers</b>
    Escalations come here as cards: <b>Acknowledge</b> tells the customer your name and when they will hear from you; <b>Take over</b> makes you the owner; <b>Reassign</b> gives the case to a team or a person; <b>Reply to the customer</b> sends what you write here to them, signed with your name; <b>Resolve</b> asks the customer to confirm the problem is solved.
    /report — what happened in the last day, bad news first (/report 7d, /report 30d, or dates)
    /reviews — review items waiting for your answer
    /done — stop writing to a customer
    /new, /status, /manager, /withdraw, /mydata, /forget, /cancel — the customer commands, for a complaint of your own
    Every working day your digest comes here at the configured time.
manager-last-in-chain = 📟 Nobody acknowledged { $number }, and you are the last in the escalation chain. Please make sure someone answers the customer.{ $link ->
        [none] {""}
       *[other] {""} Topic: { $link }
    }
manager-promise-missed = ⏰ You promised the customer of { $number } an answer by { $missed_due }, and they have not heard from you. They are told you will answer by <b>{ $due }</b>{ $next ->
        [none] {""}.
       *[other] {""}; if not, { $next } is paged.
    }
manager-promise-warning = ⏳ { $number }: you promised the customer { $owes ->
        [decision] a decision
        [update] an update
       *[answer] an answer
    } by { $due }, and 80% of that time is gone.
manager-resolve-how = Write in one message how { $number } was resolved; the customer reads it with the question whether it solved their problem.
manager-decline-proposed =
    🚫 { $owner } proposes to decline { $number }, which is escalated to you. The reason they would give the customer:
    { $reason }
    Confirm to decline it with this reason, or keep the case open.{ $link ->
        [none] {""}
       *[other] {""} Topic: { $link }
    }
manager-decline-kept = { $number } stays open; the topic is told.
manager-decline-confirmed = { $number } is declined; the customer has the reason and can ask for a review.
manager-acked = ✅ Acknowledged. The customer of { $number } is told you will answer by { $due }.
manager-already-acked = { $name } has already acknowledged this escalation.
manager-case-ended = This case has ended; you can still reply to the customer.
manager-not-now = That is not possible in the case's current state.
manager-reassign-where = Where should { $number } go?
manager-reassigned = { $number } is now with { $owner ->
        [none] the { $team } team
       *[other] { $owner }
    }. The customer has been told.
manager-reply-mode = ✍️ Everything you send here in the next { $minutes ->
        [one] minute
       *[other] { $minutes } minutes
    } goes to { $customer } ({ $number }), signed with your name and title. Press Done or send /done when you have finished.
manager-meant-for-customer = ✋ Was this meant for a customer? Nothing has been sent to anyone yet: press a button to send it as your answer instead of filing a complaint.
btn-send-to = ↩️ Send it to { $customer } · { $number }
manager-sent-instead = ✅ Sent to { $customer } ({ $number }) as your answer; the complaint draft is dropped.
manager-reply-done = Done: your messages no longer go to the customer.
manager-reviews = <b>Review items waiting for your answer</b>: { $count }{ $count ->
        [0] {""} — nothing to review.
       *[other] {""}
    }
review-line = { $number } · { escalation-why } · { $at }
review-ask = What should we have done differently in { $number } ({ escalation-why })? Write it in one message.
review-root-cause = Thank you. What was the root cause?
review-closed = The review of { $number } is closed: { $cause }.

## Your data: /mydata, /forget, erasure

mydata-caption = 📄 Everything we keep about you, as of { $at }.
mydata-summary =
    📄 <b>Everything we keep about you</b> is in the file above (JSON: any text editor opens it).
    👤 { $name }{ $username ->
        [none] {""}
       *[other] {""} (@{ $username })
    }
    { $cases ->
        [0] No complaints
        [one] 1 complaint
       *[other] { $cases } complaints
    }, { $messages ->
        [one] 1 message
       *[other] { $messages } messages
    } you wrote, { $files ->
        [one] 1 file
       *[other] { $files } files
    }.{ $more ->
        [0] {""}
       *[other] {""} The first 20 complaints are listed below; the file has all of them.
    }
    To have all of it erased, send /forget.
mydata-case-line = • <b>{ $number }</b> · { $category } · { state-name }{ $files ->
        [0] {""}
        [one] {""} · 1 file
       *[other] {""} · { $files } files
    }{ $phone ->
        [none] {""}
       *[other] {""} · 📞 { $phone }
    }{ $rating ->
        [0] {""}
       *[other] {""} · ⭐ { $rating }/5
    }
mydata-once-a-day = You received a copy of your data on { $sent }; it is above in this chat. You can ask for a fresh one from { $again }.
forget-confirm =
    <b>Erase everything we keep about you?</b>{ $open ->
        [0] {""}
        [one] {""}
        • Your open complaint is withdrawn first, and the team is told.
       *[other] {""}
        • Your { $open } open complaints are withdrawn first, and the team is told.
    }
    • Your name, username, phone numbers, everything you wrote or sent us and your comments are erased, and the staff's topics about your complaints are deleted.{ $cases ->
        [0] {""}
        [one] {""}
        • Your complaint stays only as anonymous figures (category, dates, outcome, rating) for our statistics.
       *[other] {""}
        • Your { $cases } complaints stay only as anonymous figures (category, dates, outcome, rating) for our statistics.
    }
    This cannot be undone. To keep a copy, send /mydata first.
forget-kept = Nothing was erased: your data and your complaints stay as they were.
forget-done = ✅ Done: everything we kept about you is erased.{ $cases ->
        [0] {""}
        [one] {""} Your complaint stays only as anonymous figures.
       *[other] {""} Your { $cases } complaints stay only as anonymous figures.
    } If you write to us again, we start afresh.
staff-case-not-yours = { $number } is not a case of your team, so it is not shown here.
staff-case-erased = 🗑 <b>{ $number }</b> · { $category } · { staff-state }. Its customer's personal data was erased on { $at }; only anonymous figures remain.
topic-erased = 🗑 The customer of { $number } asked us to erase their data: the case is withdrawn if it was open, and this topic is deleted with its messages.
staff-case-erased-notice = 🗑 { $number } ({ $category }): the customer asked us to erase their data. The case is withdrawn if it was open; its topic and messages are deleted, and only anonymous figures remain.
manager-case-erased = 🗑 { $number }: { $why ->
        [retention] this case ended longer ago than we keep personal data
       *[other] the customer asked us to erase their data
    }, so what this message showed is erased.
manager-case-erased-alert = The personal data of { $number } is erased: nothing more can be done with this case.
## The managers' digest and /report: bad news first, then numbers against targets.
chart-opened = Opened
chart-closed = Closed
chart-breaches = Deadlines missed
chart-rating = Average rating
digest-chart = 📊 { $name }: the last { $days } days. 🟦 opened · 🟩 closed · 🟥 deadlines missed · 🟧 average rating (right-hand scale)
digest-title =
    <b>{ $name }: { $since } to { $until }</b>
    { $categories }
    ⚠️ <b>Bad news first</b>
digest-empty = ☀️ { $name }: a quiet time in { $categories } from { $since } to { $until }: no new cases, nobody waiting, nothing to review.
digest-first-late = • First answer later than promised: { $count ->
        [one] one case
       *[other] { $count } cases
    }, { $numbers }
digest-promises-broken = • Other promises to the customer broken: { $count ->
        [one] one case
       *[other] { $count } cases
    }, { $numbers }
digest-resolve-late = • Not resolved in time: { $count ->
        [one] one case
       *[other] { $count } cases
    }, { $numbers }
digest-reopened = • Reopened by the customer: { $count ->
        [one] one case
       *[other] { $count } cases
    }, { $numbers }
digest-appealed = • Declines the customer appealed: { $count ->
        [one] one case
       *[other] { $count } cases
    }, { $numbers }
digest-unacknowledged = • Escalations nobody has acknowledged: { $count }
digest-unacknowledged-line = {"   "}◦ { $number } waits for { $manager }, for { $waited }
digest-low-rating = • Rated { $stars } ★ on { $number }{ $comment ->
        [none] {""}, no comment
       *[other] : “{ $comment }”
    }
digest-more = {"   "}… and { $count } more
digest-waiting = • { $count ->
        [one] One customer is
       *[other] { $count } customers are
    } still waiting for us; the longest:
digest-waiting-line = {"   "}◦ { $number } ({ $category }), for { $waited }
digest-repeat = • 🔁 Repeat cause: { $count } cases in { $days } days, { $cause }
digest-reviews-open = • Review items waiting for your answer: { $count } (/reviews)
digest-no-bad-news = ✅ No bad news: every target met, nobody waiting.
digest-numbers = 📈 <b>Numbers</b>
digest-new-closed = New: { $opened } · Closed: { $closed } · Withdrawn by the customer: { $withdrawn }
digest-first-answer = { $category }: first answer in { $median } (median), 90% within { $p90 }; target { $target }, met in { $in_time } of { $count ->
        [one] one case
       *[other] { $count } cases
    }
digest-first-answer-none = First answers: none were given in this period.
digest-resolved = { $resolved ->
        [0] Resolved: none in this period.
       *[other] Resolved within target: { $in_time } of { $resolved } ({ $percent }%)
    }
digest-rating = Average rating: { NUMBER($average, minimumFractionDigits: 1, maximumFractionDigits: 1) } ★ from { $count ->
        [one] one rating
       *[other] { $count } ratings
    }
digest-rating-none = Average rating: no ratings in this period.
digest-causes = 🔎 <b>Root causes</b>: what should we have done differently?
digest-cause = { $rank }. { $cause }: { $count ->
        [one] one case
       *[other] { $count } cases
    }
digest-quote = {"   "}“{ $answer }” ({ $number })
report-usage = Which period? Write /report for the last day, /report 7d or /report 30d for the last days (up to { $days }), /report 12h for hours, or dates: /report 2026-11-01 2026-11-15.

## Team load in /queue, and the burnout watch's alerts to managers.
load-title = 👥 <b>Load over the last { $window } days</b>{ $count ->
        [0] : nobody has worked in this group yet.
       *[other] {""}
    }
load-line = { $over ->
        [none] {""}
       *[other] ⚠️{" "}
    }{ $name }: { $open } open · { $handled } handled, { $percent }% after hours{ $low ->
        [0] {""}
       *[other] {""} · { $low } low ratings in a row
    } · first answer { $answer ->
        [none] —
       *[other] { $answer }
    }
load-alert-open = ⚠️ { $name } ({ $team }) now has { $open } open cases, more than the limit of { $limit }. Consider moving some to a colleague.
load-alert-after-hours = ⚠️ { $name } ({ $team }) worked on { $after } of { $handled } cases outside business hours in the last { $window } days ({ $percent }%, the limit is { $share }%).

## Staff toolkit

staff-reply-held = ✋ { $name }, this reply is held: the customer has not seen it.{ $deflect ->
        [none] {""}
       *[other] {" "}It may read as passing the customer on: say what you will do yourself, or transfer the case to whoever can act.
    }{ $vague ->
        [none] {""}
       *[other] {" "}It promises without a time: give a concrete time, such as "by 15:00 today".
    } Send it anyway, or rewrite it.
btn-held-send = ✅ Send anyway
btn-held-rewrite = ✏️ Rewrite
staff-reply-released = ✅ { $name }: the held reply was sent anyway.
staff-reply-dropped = ✏️ { $name } dropped the held reply; the customer never saw it. Write the new one here.
staff-held-not-yours = Thank you, but only { $name ->
        [none] its author
       *[other] { $name }, who wrote it,
    } can send or drop this reply.
staff-held-settled = This reply has already been sent or dropped.
staff-held-case-ended = { $number } has ended, so the held reply can no longer go to the customer.
staff-replies = 💬 <b>Saved replies</b>: press one to send it to the customer in their language, or write /r and its key.
staff-replies-unknown = There is no saved reply "{ $asked }". These are the saved replies: press one, or write /r and its key.
staff-replies-line = /r { $key } — { $title }
staff-replies-none = There are no saved replies yet: they are configured as [[replies]] in the organisation's TOML file.
staff-replies-where = Use /r in a case's topic: the saved reply goes to that case's customer.
btn-saved-reply = 💬 { $title }
staff-saved-reply-sent =
    💬 { $name } sent the saved reply "{ $title }" ({ $language }):
    { $text }
staff-find-how = Write what to look for after /find: a case number (/find HB-7K3Q9M), a phone number, a customer's name or words from the conversation.
staff-find = 🔎 "{ $query }" in the cases of { $team }: { $count ->
        [0] nothing found. Try a case number, a phone number, a name or another word.
        [one] 1 case.
       *[other] { $count } cases{ $more ->
            [0] {""}.
           *[other] {""}; the newest { $shown } are below.
        }
    }
staff-find-line = { $number } · { $category } · { staff-state } · { $customer ->
        [none] (erased)
       *[other] { $customer }
    } · opened { $opened }{ $link ->
        [none] {""}
       *[other] {""} · { $link }
    }
topic-assigned = 🔁 { $number } is assigned to { $owner }, the next in turn of those active in the last hour. The customer has been told.
