//! The problem responses the API documents, each written once. An endpoint lists the ones it
//! can answer (`responses((status = 200, body = X), Unauthorized, Forbidden)`); each expands
//! to the same `application/problem+json` response with the `ProblemBody` schema. Responses
//! that only one endpoint gives stay written out in its annotation.
//!
//! (Plain comments below, not doc comments: utoipa would publish a doc comment as the
//! response's description.)

#![allow(dead_code)]

use crate::error::ProblemBody;
use utoipa::IntoResponses;

// 400 for a body that is not valid JSON.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed JSON body",
    content_type = "application/problem+json"
)]
pub(crate) struct MalformedJson(ProblemBody);

// 400 for a path segment that does not parse.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed path",
    content_type = "application/problem+json"
)]
pub(crate) struct MalformedPath(ProblemBody);

// 400 for a query string that does not parse.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed query string",
    content_type = "application/problem+json"
)]
pub(crate) struct MalformedQuery(ProblemBody);

// 400 for a path or query string that does not parse.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed path or query string",
    content_type = "application/problem+json"
)]
pub(crate) struct MalformedPathOrQuery(ProblemBody);

// 400 for a body or path that does not parse.
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed JSON body or path",
    content_type = "application/problem+json"
)]
pub(crate) struct MalformedJsonOrPath(ProblemBody);

// 401: not signed in.
#[derive(IntoResponses)]
#[response(status = 401, content_type = "application/problem+json")]
pub(crate) struct Unauthorized(ProblemBody);

// 403: signed in without the right.
#[derive(IntoResponses)]
#[response(status = 403, content_type = "application/problem+json")]
pub(crate) struct Forbidden(ProblemBody);

// 404: no such thing (or not visible to the caller).
#[derive(IntoResponses)]
#[response(status = 404, content_type = "application/problem+json")]
pub(crate) struct NotFound(ProblemBody);

// 409: clashes with what is stored.
#[derive(IntoResponses)]
#[response(status = 409, content_type = "application/problem+json")]
pub(crate) struct Conflict(ProblemBody);

// 409: a profile edit that lost the race with another one.
#[derive(IntoResponses)]
#[response(
    status = 409,
    description = "Someone else changed the profile at the same moment; read it again and retry",
    content_type = "application/problem+json"
)]
pub(crate) struct ProfileChanged(ProblemBody);

// 415: the body is not JSON.
#[derive(IntoResponses)]
#[response(
    status = 415,
    description = "The body is not sent as application/json",
    content_type = "application/problem+json"
)]
pub(crate) struct NotJson(ProblemBody);

// 422 with field errors.
#[derive(IntoResponses)]
#[response(status = 422, content_type = "application/problem+json")]
pub(crate) struct Invalid(ProblemBody);

// 422 with field errors, as the body-taking endpoints describe it.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Invalid fields",
    content_type = "application/problem+json"
)]
pub(crate) struct InvalidFields(ProblemBody);

// 422 with field errors named by their path in the body.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Invalid fields, each named with its path",
    content_type = "application/problem+json"
)]
pub(crate) struct InvalidFieldPaths(ProblemBody);

// 422 for a language other than nl or en.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Invalid lang",
    content_type = "application/problem+json"
)]
pub(crate) struct InvalidLang(ProblemBody);

// 422 for a bad page size or cursor.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Invalid limit or cursor",
    content_type = "application/problem+json"
)]
pub(crate) struct InvalidPage(ProblemBody);

// 429 for anonymous heavy work beyond the address's rate.
#[derive(IntoResponses)]
#[response(
    status = 429,
    description = "Too many requests from this address without signing in; see Retry-After",
    content_type = "application/problem+json"
)]
pub(crate) struct TooManyAnonymous(ProblemBody);
