-- only a comment; here
/* and;
   a block */

