//! The written form of a condition: an object with exactly one key. The derived serde code
//! reads the key's value; the wrappers here refuse an object with no key or a second one.

use super::Condition;
use serde::{Deserialize, Serialize};

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The derived, externally tagged form (an inherent fn through `remote = "Self"`).
        Condition::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ConditionVisitor)
    }
}

/// Reads the one key of a condition object, hands key and value to the derived deserializer,
/// and refuses a second key.
struct ConditionVisitor;

impl<'de> serde::de::Visitor<'de> for ConditionVisitor {
    type Value = Condition;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a condition: an object with exactly one key, such as {\"age\": {\"max\": 64}}")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
        use serde::de::Error;
        let Some(kind) = map.next_key::<String>()? else {
            return Err(A::Error::custom(
                "a condition has exactly one key (such as \"age\" or \"all\"); this one has none",
            ));
        };
        let condition = Condition::deserialize(OneKey {
            kind: kind.clone(),
            map: &mut map,
        })?;
        if let Some(second) = map.next_key::<String>()? {
            return Err(A::Error::custom(format!(
                "a condition has exactly one key; this one has \"{kind}\" and \"{second}\" \
                 (to require both, put each in its own object inside \"all\")"
            )));
        }
        Ok(condition)
    }
}

/// The rest of a condition object whose key is read: a deserializer that offers it to the
/// derived code as an enum whose variant is that key and whose content is the key's value.
struct OneKey<'m, A> {
    kind: String,
    map: &'m mut A,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::Deserializer<'de> for OneKey<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::EnumAccess<'de> for OneKey<'_, A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Self::Error> {
        let variant = seed.deserialize(serde::de::value::StrDeserializer::<A::Error>::new(
            self.kind.as_str(),
        ))?;
        Ok((variant, self))
    }
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::VariantAccess<'de> for OneKey<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.map.next_value::<serde::de::IgnoredAny>()?;
        Ok(())
    }

    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(TupleSeed { len, visitor })
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(StructSeed { fields, visitor })
    }
}

struct TupleSeed<V> {
    len: usize,
    visitor: V,
}

impl<'de, V: serde::de::Visitor<'de>> serde::de::DeserializeSeed<'de> for TupleSeed<V> {
    type Value = V::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_tuple(self.len, self.visitor)
    }
}

struct StructSeed<V> {
    fields: &'static [&'static str],
    visitor: V,
}

impl<'de, V: serde::de::Visitor<'de>> serde::de::DeserializeSeed<'de> for StructSeed<V> {
    type Value = V::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_struct("Condition", self.fields, self.visitor)
    }
}
