//! Messages leave the outbox as mail through a real SMTP server: PyPI's `aiosmtpd` (an
//! independent implementation) stores what it receives in a Maildir, and Python's standard
//! library reads it back. A message is mailed once, in its recipient's language, with links to
//! the public address; a server that is down is tried again later; a bad address is given up.

use crate::common::apps;
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::NewMessage;
use leerpad_domain::role::Role;
use leerpad_domain::shared::UserId;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SITE: &str = "https://leerpad.example.nl";

/// aiosmtpd listening on a free port, writing to a Maildir; stopped on drop.
struct MailServer {
    child: Child,
    dir: tempfile::TempDir,
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// None (the test is skipped) when aiosmtpd is missing outside CI.
async fn start_mail_server(port: u16) -> Option<MailServer> {
    let probe = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .expect("python3");
    if !probe.status.success() {
        assert!(
            std::env::var("CI").is_err(),
            "aiosmtpd is needed in CI (pip install aiosmtpd)"
        );
        eprintln!("skipped: aiosmtpd not installed (pip install aiosmtpd)");
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let maildir = dir.path().join("Maildir");
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let server = MailServer { child, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(server);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start on port {port}");
}

/// What the server received, read by Python's `mailbox` and `email` packages.
fn received(server: &MailServer) -> Vec<serde_json::Value> {
    let script = "import sys, json, mailbox, email\n\
        from email import policy\n\
        box = mailbox.Maildir(sys.argv[1], create=False)\n\
        out = []\n\
        for msg in box:\n\
        \x20   m = email.message_from_bytes(msg.as_bytes(), policy=policy.default)\n\
        \x20   out.append({'to': str(m['To']), 'from': str(m['From']), 'subject': str(m['Subject']),\n\
        \x20               'id': str(m['Message-ID']), 'body': m.get_content()})\n\
        print(json.dumps(sorted(out, key=lambda m: m['to'])))\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(server.dir.path().join("Maildir"))
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test]
async fn messages_are_mailed_once_in_the_recipients_language_and_survive_a_server_that_is_down() {
    for app in apps().await {
        let port = free_port();
        let smtp = leerpad_web::Smtp::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Leerpad <noreply@leerpad.example.nl>",
        )
        .expect("smtp");
        let texts = leerpad_web::MailTexts::new(SITE);
        let (mut sanne, sanne_id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
        let tom = app.user("tom@example.nl", &[Role::Learner]).await;
        let place = Message::PlaceFromWaitlist {
            programme: "limburg".into(),
            title: "Ontwikkeladvies Limburg".into(),
        };
        let reminder = Message::AppointmentReminder {
            starts_at: crate::common::START + 86_400,
            advisor: "Fatima El Amrani".into(),
            hours_before: 24,
            programme: "limburg".into(),
        };
        let now = crate::common::START;
        for (key, user, to, lang, message) in [
            ("place:1", sanne_id, "sanne@example.nl", "nl", &place),
            ("reminder:1:24", tom, "tom@example.nl", "en", &reminder),
            ("place:2", tom, "geen adres", "nl", &place),
        ] {
            let new = NewMessage {
                key,
                user_id: UserId::new(user),
                to,
                lang,
                message,
                at: now,
            };
            assert!(app.store().enqueue_message(new).await.expect("write"));
        }

        // The mail server is down: nothing is lost, each is tried again later.
        let first = app.mailbox.deliver_due(&smtp, &texts).await.expect("round");
        assert_eq!((first.sent, first.retrying, first.given_up), (0, 3, 0));
        let page = sanne.get("/berichten").await;
        assert!(
            page.text
                .contains("nog niet gemaild (de mailserver gaf een fout"),
            "{}",
            page.text
        );

        let Some(server) = start_mail_server(port).await else {
            return;
        };
        // Not yet due: nothing is sent before its time.
        let early = app.mailbox.deliver_due(&smtp, &texts).await.expect("round");
        assert_eq!(early.sent + early.retrying + early.given_up, 0);
        app.clock.advance(60);
        let second = app.mailbox.deliver_due(&smtp, &texts).await.expect("round");
        assert_eq!((second.sent, second.retrying), (2, 1), "{second:?}");
        // Another round (or another server) sends nothing again.
        app.clock.advance(3_600);
        let third = app.mailbox.deliver_due(&smtp, &texts).await.expect("round");
        assert_eq!(third.sent, 0);

        let mail = received(&server);
        assert_eq!(mail.len(), 2, "{mail:?}");
        assert_eq!(mail[0]["to"], "sanne@example.nl");
        assert_eq!(mail[0]["from"], "Leerpad <noreply@leerpad.example.nl>");
        assert_eq!(
            mail[0]["subject"],
            "Je hebt een plaats: Ontwikkeladvies Limburg"
        );
        let body = mail[0]["body"].as_str().expect("body");
        assert!(body.contains(&format!("{SITE}/advies/limburg")), "{body}");
        assert!(body.contains(&format!("{SITE}/berichten")), "{body}");
        assert_eq!(mail[1]["to"], "tom@example.nl");
        assert_eq!(
            mail[1]["subject"],
            "Tomorrow: your talk with your career advisor"
        );
        assert!(
            mail[1]["body"]
                .as_str()
                .is_some_and(|b| b.contains("Fatima El Amrani")),
            "{mail:?}"
        );
        assert_ne!(mail[0]["id"], mail[1]["id"]);
        let page = sanne.get("/berichten").await;
        assert!(page.text.contains("verstuurd"), "{}", page.text);

        // The bad address is tried a few times, then given up and kept on the site.
        let mut given_up = 0;
        for _ in 0..leerpad_domain::mail::MAX_DELIVERY_ATTEMPTS {
            app.clock.advance(13 * 3_600);
            given_up += app
                .mailbox
                .deliver_due(&smtp, &texts)
                .await
                .expect("round")
                .given_up;
        }
        assert_eq!(given_up, 1);
        let toms = app
            .store()
            .messages_of(UserId::new(tom), 10)
            .await
            .expect("messages");
        let bad = toms.iter().find(|m| m.key == "place:2").expect("kept");
        assert!(
            bad.given_up_at.is_some() && bad.sent_at.is_none(),
            "{bad:?}"
        );
        assert_eq!(bad.attempts, leerpad_domain::mail::MAX_DELIVERY_ATTEMPTS);
        assert_eq!(received(&server).len(), 2);
    }
}
