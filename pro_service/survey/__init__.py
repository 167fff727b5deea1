"""The respondent's side: invitation → language → welcome → pages → review → submit → thank-you."""
