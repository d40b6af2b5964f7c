//! Streams over cursor-paginated endpoints: generated `<method>_stream` methods hand
//! [`paginate`] a closure that sends one page; the stream asks for the next page only when the
//! items of the previous one have been read.

use std::future::Future;

use futures_util::stream::{self, Stream, TryStreamExt as _};

use crate::Error;

/// One page of a paginated response: its items and the cursor of the next page (`None` or
/// empty on the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page, in the order the API sent them.
    pub items: Vec<T>,
    /// The cursor to send for the next page; `None` or `""` when there is none.
    pub next_cursor: Option<String>,
}

/// Which page to fetch next.
enum Next {
    /// The first: the request as the caller built it.
    First,
    /// The page at this cursor.
    At(String),
    Done,
}

/// Every item of every page, in order. `fetch` sends one page: with `None` the caller's own
/// request, with `Some(cursor)` the request with that cursor. The stream ends after a page
/// without a next cursor, or after the first error (yielded as its last item).
pub fn paginate<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    stream::try_unfold((fetch, Next::First), |(mut fetch, next)| async move {
        let cursor = match next {
            Next::Done => return Ok(None),
            Next::First => None,
            Next::At(cursor) => Some(cursor),
        };
        let page = fetch(cursor).await?;
        let next = match page.next_cursor {
            Some(cursor) if !cursor.is_empty() => Next::At(cursor),
            _ => Next::Done,
        };
        Ok(Some((stream::iter(page.items.into_iter().map(Ok)), (fetch, next))))
    })
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    #[tokio::test]
    async fn pages_are_fetched_until_one_has_no_cursor_and_an_error_ends_the_stream() {
        let mut asked = Vec::new();
        let items: Vec<u32> = paginate(|cursor: Option<String>| {
            asked.push(cursor.clone());
            async move {
                Ok(match cursor.as_deref() {
                    None => Page { items: vec![1, 2], next_cursor: Some("b".into()) },
                    Some("b") => Page { items: vec![], next_cursor: Some("c".into()) },
                    _ => Page { items: vec![3], next_cursor: Some(String::new()) },
                })
            }
        })
        .map(Result::unwrap)
        .collect()
        .await;
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(asked, [None, Some("b".into()), Some("c".into())]);

        let failing = paginate(|_| async { Err::<Page<u32>, _>(Error::Encode("no".into())) });
        let results: Vec<_> = failing.collect().await;
        assert!(matches!(results.as_slice(), [Err(Error::Encode(_))]));
    }
}
