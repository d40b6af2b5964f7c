//! `users.search_all`: every page of a user search, as the JS SDK's `UserSearchIterator`
//! (`dist/b2c/users.js`, MANUAL(searchAll)): each step sends `search` with the previous page's
//! `next_cursor`, until a page comes back without one.

use crate::Error;
use crate::b2c::users::{User, Users, UsersSearchRequest};

/// Pages of a user search; see [`Users::search_all`].
#[derive(Debug)]
pub struct UserSearchIterator {
    client: Users,
    request: UsersSearchRequest,
    complete: bool,
}

impl UserSearchIterator {
    /// Whether another page may follow (`false` once a page had no `next_cursor`).
    pub fn has_next(&self) -> bool {
        !self.complete
    }

    /// The next page of users, or `None` when the search is complete. After an error the
    /// same page can be asked for again.
    pub async fn next(&mut self) -> Option<Result<Vec<User>, Error>> {
        if self.complete {
            return None;
        }
        let response = match self.client.search(&self.request).await {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        self.request.cursor = response.results_metadata.next_cursor.filter(|c| !c.is_empty());
        self.complete = self.request.cursor.is_none();
        Some(Ok(response.results))
    }
}

impl Users {
    /// Iterates over all pages of a search. Send an empty `query` to list every user.
    pub fn search_all(&self, request: UsersSearchRequest) -> UserSearchIterator {
        UserSearchIterator { client: self.clone(), request, complete: false }
    }
}
