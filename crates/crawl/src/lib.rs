//! The crawler: schedules feeds and articles and runs each check through fetch, extract, diff and store
