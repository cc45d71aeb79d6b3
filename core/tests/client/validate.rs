//! `/v2/token/validate` against the emulator.

use euid_core::{Dii, Error, GenerateOutcome};

use crate::support::{client, email, emulator};

#[tokio::test]
async fn validate_tells_whether_a_token_came_from_an_identifier() {
    let emulator = emulator();
    let client = client(&emulator);
    let GenerateOutcome::Success(identity) =
        client.generate_token(&email("validate@example.com")).await.unwrap()
    else {
        panic!("no identity")
    };
    let token = &identity.advertising_token;
    assert_eq!(
        client.validate_token(token, &Dii::email("validate@example.com").unwrap()).await,
        Ok(true)
    );
    assert_eq!(
        client.validate_token(token, &Dii::email("other@example.com").unwrap()).await,
        Ok(false)
    );
    let err = client
        .validate_token("not-a-token", &Dii::email("validate@example.com").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { http_status: 400, message, .. } if message == "Invalid token"),
        "{err:?}"
    );
}
