//! Mail over SMTP (lettre): the outbox's messages as plain-text mail in the recipient's
//! language, with links to the public address of the site.

use super::text;
use crate::i18n::Lang;
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::{MailText, MailTransport, OutgoingMail, SendError};
use lettre::message::Mailbox as Address;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The configuration could not be used; said at start, not at the first message.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error(
        "smtp_url '{url}' cannot be used: {reason} (e.g. smtp://user:password@mail.example.nl:587?tls=required)"
    )]
    Url { url: String, reason: String },
    #[error("mail_from '{0}' is not an address such as \"Leerpad <noreply@leerpad.nl>\"")]
    From(String),
}

/// A mail server, with the sender every message carries.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Address,
}

impl Smtp {
    /// `url` as lettre reads it: `smtp://host:port` (plain, for a local relay),
    /// `smtp://…?tls=required` (STARTTLS) or `smtps://…` (TLS), with optional user:password.
    pub fn new(url: &str, from: &str) -> Result<Smtp, MailSetupError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailSetupError::Url {
                url: redact(url),
                reason: e.to_string(),
            })?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|_| MailSetupError::From(from.to_owned()))?;
        Ok(Smtp { transport, from })
    }
}

/// The URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// A Message-ID made from the outbox key, so a message sent again is recognisable as the
/// same one.
fn message_id(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@leerpad>")
}

#[async_trait::async_trait]
impl MailTransport for Smtp {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let to: Address = mail
            .to
            .parse()
            .map_err(|e| SendError(format!("address '{}': {e}", mail.to)))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(message_id(&mail.key)))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| SendError(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError(e.to_string()))
    }
}

/// The texts of the translation files, with links to the site's public address.
pub struct MailTexts {
    base_url: String,
}

impl MailTexts {
    pub fn new(base_url: &str) -> MailTexts {
        MailTexts {
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }
}

impl MailText for MailTexts {
    fn text(&self, lang: &str, message: &Message) -> (String, String) {
        let lang = Lang::parse(lang).unwrap_or_default();
        let (subject, body) = text(lang, message, &self.base_url);
        let footer = lang.t_args(
            "mail-footer",
            &[("link", format!("{}/berichten", self.base_url))],
        );
        (subject, format!("{body}\n\n--\n{footer}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_not_repeated_in_an_error() {
        assert_eq!(
            redact("smtp://leerpad:geheim@mail.example.nl:587"),
            "smtp://…@mail.example.nl:587"
        );
        assert!(matches!(
            Smtp::new("ftp://mail.example.nl", "Leerpad <noreply@leerpad.nl>"),
            Err(MailSetupError::Url { .. })
        ));
        assert!(matches!(
            Smtp::new("smtp://127.0.0.1:2525", "geen adres"),
            Err(MailSetupError::From(_))
        ));
    }

    #[test]
    fn the_same_message_has_the_same_id() {
        assert_eq!(message_id("reminder:1:24"), message_id("reminder:1:24"));
        assert_ne!(message_id("reminder:1:24"), message_id("reminder:1:1"));
        assert!(message_id("a:b").starts_with('<') && message_id("a:b").ends_with("@leerpad>"));
    }

    #[test]
    fn a_mail_links_to_the_public_address_in_the_recipients_language() {
        let texts = MailTexts::new("https://leerpad.example.nl/");
        let message = Message::PlaceFromWaitlist {
            programme: "limburg".into(),
            title: "Ontwikkeladvies Limburg".into(),
        };
        let (subject, body) = texts.text("nl", &message);
        assert_eq!(subject, "Je hebt een plaats: Ontwikkeladvies Limburg");
        assert!(
            body.contains("https://leerpad.example.nl/advies/limburg"),
            "{body}"
        );
        assert!(
            body.contains("https://leerpad.example.nl/berichten"),
            "{body}"
        );
        let (subject, _) = texts.text("en", &message);
        assert_eq!(subject, "You have a place: Ontwikkeladvies Limburg");
    }
}
