mod handworked;
