//! The operator's JSON: request payloads in ([`GenerateRequest`]), answers out ([`Answer`]), and
//! HTTP statuses mapped to outcomes or errors ([`Failure`]), one file each. No I/O: the client
//! feeds it bytes, and so do the shared vectors.

mod answer;
mod failure;
mod request;

pub use answer::{open_answer, open_refresh_answer, Answer};
pub use failure::Failure;
pub use request::{validate_request_json, GenerateRequest};
