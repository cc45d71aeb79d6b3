//! An IAB TCF v2 TC string decoder (the core segment) and the operator's consent rule.
//!
//! The operator (EUID scope) rejects an empty or unparseable `tcf_consent_string` with
//! "User consent is invalid", and answers `insufficient_user_consent` unless the vendor (21 by
//! default) has consent or legitimate interest for purposes 1, 2, 3, 4, 7 and 10 —
//! `UIDOperatorVerticle.validateUserConsent` with `TransparentConsent.hasConsent`. No special
//! feature is required (operator 5.64.0 dropped special feature 1, precise geolocation).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, PAD_INDIFFERENT};
use base64::Engine as _;

/// Java's `Base64.getUrlDecoder()`: URL alphabet, padding optional, trailing bits ignored.
const URL_DECODER: GeneralPurpose =
    GeneralPurpose::new(&alphabet::URL_SAFE, PAD_INDIFFERENT.with_decode_allow_trailing_bits(true));

/// The purposes the operator requires: store on device (1), basic ads (2), ads profile (3),
/// personalised ads (4), measure ad performance (7), develop and improve products (10).
pub const REQUIRED_PURPOSES: [u8; 6] = [1, 2, 3, 4, 7, 10];

/// Why a TC string did not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TcfError {
    /// The string is empty.
    #[error("empty TC string")]
    Empty,
    /// A segment is not base64url.
    #[error("a segment is not base64url")]
    NotBase64,
    /// The core segment is not version 2.
    #[error("unsupported TC string version {0}")]
    Version(u64),
    /// The core segment ends before a field does.
    #[error("the core segment is truncated")]
    Truncated,
}

/// A set of vendor ids, as decoded from a bitfield or range section.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VendorSet {
    /// `MaxVendorId`.
    pub max_vendor_id: u16,
    /// Whether the section used range encoding.
    pub range_encoded: bool,
    /// The ids, as inclusive ranges.
    pub ranges: Vec<(u16, u16)>,
}

impl VendorSet {
    /// Whether `vendor_id` is in the set.
    pub fn contains(&self, vendor_id: u16) -> bool {
        self.ranges.iter().any(|&(start, end)| (start..=end).contains(&vendor_id))
    }
}

/// The decoded core segment of a TCF v2 TC string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcString {
    /// `Version` (always 2 here).
    pub version: u8,
    /// `Created`, deciseconds since the epoch.
    pub created_ds: u64,
    /// `LastUpdated`, deciseconds since the epoch.
    pub last_updated_ds: u64,
    /// `CmpId`.
    pub cmp_id: u16,
    /// `CmpVersion`.
    pub cmp_version: u16,
    /// `ConsentScreen`.
    pub consent_screen: u8,
    /// `ConsentLanguage`, two letters.
    pub consent_language: String,
    /// `VendorListVersion`.
    pub vendor_list_version: u16,
    /// `TcfPolicyVersion`.
    pub tcf_policy_version: u8,
    /// `IsServiceSpecific`.
    pub is_service_specific: bool,
    /// `UseNonStandardTexts`.
    pub use_non_standard_texts: bool,
    /// `SpecialFeatureOptIns`, 12 bits as read: the most significant is special feature 1.
    pub special_feature_opt_ins: u16,
    /// `PurposesConsent`, 24 bits as read: the most significant is purpose 1.
    pub purposes_consent: u32,
    /// `PurposesLITransparency`, 24 bits as read: the most significant is purpose 1.
    pub purposes_li_transparency: u32,
    /// `PurposeOneTreatment`.
    pub purpose_one_treatment: bool,
    /// `PublisherCC`, two letters.
    pub publisher_cc: String,
    /// The vendor consent section.
    pub vendor_consents: VendorSet,
    /// The vendor legitimate interest section.
    pub vendor_legitimate_interests: VendorSet,
}

impl TcString {
    /// Decodes a TC string: base64url segments separated by `.`, the first being the core.
    ///
    /// # Errors
    ///
    /// [`TcfError`].
    pub fn decode(text: &str) -> Result<TcString, TcfError> {
        if text.is_empty() {
            return Err(TcfError::Empty);
        }
        let mut segments = text.split('.');
        let core = segments.next().unwrap_or_default();
        let core = URL_DECODER.decode(core).map_err(|_| TcfError::NotBase64)?;
        for segment in segments {
            URL_DECODER.decode(segment).map_err(|_| TcfError::NotBase64)?;
        }
        let mut bits = BitReader::new(&core);
        let version = bits.read(6)?;
        if version != 2 {
            return Err(TcfError::Version(version));
        }
        Ok(TcString {
            version: 2,
            created_ds: bits.read(36)?,
            last_updated_ds: bits.read(36)?,
            cmp_id: bits.read_u16(12)?,
            cmp_version: bits.read_u16(12)?,
            consent_screen: bits.read_u8(6)?,
            consent_language: bits.read_letters()?,
            vendor_list_version: bits.read_u16(12)?,
            tcf_policy_version: bits.read_u8(6)?,
            is_service_specific: bits.read_bool()?,
            use_non_standard_texts: bits.read_bool()?,
            special_feature_opt_ins: bits.read_u16(12)?,
            purposes_consent: bits.read_u32(24)?,
            purposes_li_transparency: bits.read_u32(24)?,
            purpose_one_treatment: bits.read_bool()?,
            publisher_cc: bits.read_letters()?,
            vendor_consents: bits.read_vendor_set()?,
            vendor_legitimate_interests: bits.read_vendor_set()?,
        })
    }

    /// `TransparentConsent.hasConsent`: the purposes allowed for `vendor_id` (those consented
    /// if the vendor has consent, plus those with LI transparency if the vendor has legitimate
    /// interest) include every one of `purposes`.
    pub fn has_consent(&self, vendor_id: u16, purposes: &[u8]) -> bool {
        let mut allowed = 0u32;
        if self.vendor_consents.contains(vendor_id) {
            allowed |= self.purposes_consent;
        }
        if self.vendor_legitimate_interests.contains(vendor_id) {
            allowed |= self.purposes_li_transparency;
        }
        purposes
            .iter()
            .all(|&purpose| (1..=24).contains(&purpose) && allowed & (1 << (24 - purpose)) != 0)
    }

    /// Whether the user opted in to special feature `feature` (1-based).
    pub fn has_special_feature(&self, feature: u8) -> bool {
        (1..=12).contains(&feature) && self.special_feature_opt_ins & (1 << (12 - feature)) != 0
    }
}

/// The operator's verdict on a `tcf_consent_string`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Enough consent: generate goes on.
    Sufficient,
    /// Parsed, but lacking: 200 `insufficient_user_consent`.
    Insufficient,
    /// Empty or unparseable: 400 "User consent is invalid".
    Invalid,
}

/// `validateUserConsent` for one TC string and vendor.
pub fn evaluate(consent: Option<&str>, vendor_id: u16) -> Consent {
    let Some(text) = consent else { return Consent::Invalid };
    match TcString::decode(text) {
        Err(_) => Consent::Invalid,
        Ok(tc) => {
            if tc.has_consent(vendor_id, &REQUIRED_PURPOSES) {
                Consent::Sufficient
            } else {
                Consent::Insufficient
            }
        }
    }
}

/// Reads big-endian bit fields from bytes.
struct BitReader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> BitReader<'a> {
    fn new(bytes: &'a [u8]) -> BitReader<'a> {
        BitReader { bytes, position: 0 }
    }

    fn read(&mut self, width: usize) -> Result<u64, TcfError> {
        let mut value = 0u64;
        for _ in 0..width {
            let byte = self.bytes.get(self.position / 8).ok_or(TcfError::Truncated)?;
            let bit = (byte >> (7 - self.position % 8)) & 1;
            value = (value << 1) | u64::from(bit);
            self.position += 1;
        }
        Ok(value)
    }

    fn read_bool(&mut self) -> Result<bool, TcfError> {
        Ok(self.read(1)? == 1)
    }

    fn read_u8(&mut self, width: usize) -> Result<u8, TcfError> {
        u8::try_from(self.read(width)?).map_err(|_| TcfError::Truncated)
    }

    fn read_u16(&mut self, width: usize) -> Result<u16, TcfError> {
        u16::try_from(self.read(width)?).map_err(|_| TcfError::Truncated)
    }

    fn read_u32(&mut self, width: usize) -> Result<u32, TcfError> {
        u32::try_from(self.read(width)?).map_err(|_| TcfError::Truncated)
    }

    /// Two 6-bit letters, 0 = `A`.
    fn read_letters(&mut self) -> Result<String, TcfError> {
        let mut letters = String::with_capacity(2);
        for _ in 0..2 {
            let offset = self.read_u8(6)?;
            letters.push(char::from(b'A'.saturating_add(offset)));
        }
        Ok(letters)
    }

    /// `MaxVendorId(16) IsRangeEncoding(1)` then a bitfield or `NumEntries(12)` ranges.
    fn read_vendor_set(&mut self) -> Result<VendorSet, TcfError> {
        let max_vendor_id = self.read_u16(16)?;
        let range_encoded = self.read_bool()?;
        let mut ranges: Vec<(u16, u16)> = Vec::new();
        if range_encoded {
            let entries = self.read(12)?;
            for _ in 0..entries {
                let is_range = self.read_bool()?;
                let start = self.read_u16(16)?;
                let end = if is_range { self.read_u16(16)? } else { start };
                ranges.push((start, end));
            }
        } else {
            for vendor_id in 1..=max_vendor_id {
                if self.read_bool()? {
                    match ranges.last_mut() {
                        Some(last) if last.1 + 1 == vendor_id => last.1 = vendor_id,
                        _ => ranges.push((vendor_id, vendor_id)),
                    }
                }
            }
        }
        Ok(VendorSet { max_vendor_id, range_encoded, ranges })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// The Java and Python SDK tests' consenting string.
    const CONSENTING: &str = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA";
    /// The SDK tests' insufficient string.
    const INSUFFICIENT: &str = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA";
    /// Sufficient consent without special feature 1 (issue 16, checked against the operator).
    const NO_SPECIAL_FEATURE: &str = "CQdWToAQdWToAAHABBENBkEgAPJAAAAAAAYgAKwAQAKgAAAA";

    #[test]
    fn the_sdk_consenting_string_decodes_and_is_sufficient() {
        let tc = TcString::decode(CONSENTING).unwrap();
        assert_eq!(tc.version, 2);
        assert_eq!(tc.consent_language, "FR");
        assert_eq!(tc.publisher_cc, "DE");
        // Consent for purposes 1, 3, 4 and legitimate interest for 2, 7, 10; vendor 21 has both.
        assert_eq!(tc.purposes_consent, 0b1011 << 20);
        assert_eq!(tc.purposes_li_transparency, 0b0100_0010_0100 << 12);
        assert!(tc.vendor_legitimate_interests.contains(21));
        assert!(tc.has_special_feature(1));
        assert!(tc.vendor_consents.contains(21));
        assert_eq!(evaluate(Some(CONSENTING), 21), Consent::Sufficient);
    }

    #[test]
    fn the_sdk_insufficient_string_is_insufficient() {
        // Purpose 1 has neither consent nor legitimate interest.
        assert!(!TcString::decode(INSUFFICIENT).unwrap().has_consent(21, &[1]));
        assert!(TcString::decode(INSUFFICIENT).unwrap().has_consent(21, &[2, 3, 4, 7, 10]));
        assert_eq!(evaluate(Some(INSUFFICIENT), 21), Consent::Insufficient);
    }

    #[test]
    fn empty_truncated_and_non_base64_strings_are_invalid() {
        assert_eq!(evaluate(Some(""), 21), Consent::Invalid);
        assert_eq!(evaluate(None, 21), Consent::Invalid);
        assert_eq!(evaluate(Some("CPhJRpMPhJRpMABAMBFRACBo"), 21), Consent::Invalid);
        assert_eq!(evaluate(Some("not a tc string!"), 21), Consent::Invalid);
        // Version 1 ("B...") is not a v2 core segment.
        assert_eq!(
            TcString::decode("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA"),
            Err(TcfError::Version(1))
        );
    }

    #[test]
    fn special_feature_1_is_not_required() {
        // Vendor 21, purposes 1, 2, 3, 4, 7, 10, no special feature: the operator's success.
        let tc = TcString::decode(NO_SPECIAL_FEATURE).unwrap();
        assert!(!tc.has_special_feature(1));
        assert_eq!(evaluate(Some(NO_SPECIAL_FEATURE), 21), Consent::Sufficient);
    }

    #[test]
    fn another_vendor_without_consent_is_insufficient() {
        assert_eq!(evaluate(Some(CONSENTING), 999), Consent::Insufficient);
    }
}
