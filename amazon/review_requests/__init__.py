"""Amazon's Request a Review for every delivered order (issue #19): one solicitation per order
on a uniform day after delivery, never filtered by the buyer's experience."""
