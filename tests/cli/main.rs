//! The one integration-test binary: a module per command.

mod demo;
